package dev.tollgate.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiPassthroughTest {

  private final GeminiPassthrough passthrough = new GeminiPassthrough();

  private static SseEvent chunk(String data) {
    return new SseEvent(new byte[0], null, data);
  }

  @Test
  void theLatestUsageMetadataCountsAndAFinishReasonCompletes() {
    Passthrough.StreamWatch watch = passthrough.watchStream(true, String::length);
    watch.onEvent(chunk("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}],\"usageMetadata\":{\"promptTokenCount\":11,\"totalTokenCount\":11}}"));
    assertThat(watch.complete()).isFalse();
    watch.onEvent(chunk("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":11,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":1,\"totalTokenCount\":14}}"));

    assertThat(watch.reportedUsage()).isEqualTo(new Usage(11, 3, 0, 1));
    assertThat(watch.complete()).isTrue();
    assertThat(watch.estimatedCompletionTokens()).isEqualTo("Hello".length());
  }

  @Test
  void anErrorChunkIsNoticed() {
    Passthrough.StreamWatch watch = passthrough.watchStream(true, String::length);
    assertThat(watch.onEvent(chunk("{\"error\":{\"code\":500,\"message\":\"boom\",\"status\":\"INTERNAL\"}}"))).isTrue();
    assertThat(watch.sawError()).isTrue();
    assertThat(watch.complete()).isFalse();
  }

  @Test
  void answersGiveTheirUsage() {
    byte[] answer = ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":7}}").getBytes(StandardCharsets.UTF_8);

    assertThat(passthrough.readAnswer(answer)).isEqualTo(new Passthrough.AnswerFacts(true, new Usage(5, 2, 0, 0)));
    assertThat(passthrough.answerText(answer)).isEqualTo("Hi");
    assertThat(passthrough.readAnswer("nope".getBytes(StandardCharsets.UTF_8)).wellFormed()).isFalse();
  }
}

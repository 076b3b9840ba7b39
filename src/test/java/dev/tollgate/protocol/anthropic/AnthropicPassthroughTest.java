package dev.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicPassthroughTest {

  private final AnthropicPassthrough passthrough = new AnthropicPassthrough();

  private static SseEvent event(String name, String data) {
    return new SseEvent(new byte[0], name, data);
  }

  @Test
  void usageTakesInputFromMessageStartAndTheLastCumulativeOutput() {
    Passthrough.StreamWatch watch = passthrough.watchStream(true, String::length);
    watch.onEvent(event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":7,"
        + "\"cache_read_input_tokens\":4,\"cache_creation_input_tokens\":1,\"output_tokens\":1}}}"));
    watch.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":5}}"));
    watch.onEvent(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":9}}"));

    assertThat(watch.reportedUsage()).isEqualTo(new Usage(12, 9, 4, 0));
    assertThat(watch.complete()).isFalse();
    watch.onEvent(event("message_stop", "{\"type\":\"message_stop\"}"));
    assertThat(watch.complete()).isTrue();
  }

  @Test
  void everyEventIsRelayedAndErrorsAreNoticed() {
    Passthrough.StreamWatch watch = passthrough.watchStream(false, String::length);

    assertThat(watch.onEvent(event("ping", "{\"type\":\"ping\"}"))).isTrue();
    assertThat(watch.onEvent(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"))).isTrue();
    assertThat(watch.sawError()).isTrue();
    assertThat(watch.reportedUsage()).isNull();
  }

  @Test
  void withoutUsageTheGeneratedTextIsCounted() {
    Passthrough.StreamWatch watch = passthrough.watchStream(false, String::length);
    watch.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"));
    watch.onEvent(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":1}\"}}"));

    assertThat(watch.estimatedCompletionTokens()).isEqualTo("Hello".length() + "{\"a\":1}".length());
  }

  @Test
  void answersGiveTheirUsageAndGarbageIsNotWellFormed() {
    byte[] answer = ("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],"
        + "\"usage\":{\"input_tokens\":3,\"cache_read_input_tokens\":2,\"output_tokens\":4}}").getBytes(StandardCharsets.UTF_8);

    assertThat(passthrough.readAnswer(answer)).isEqualTo(new Passthrough.AnswerFacts(true, new Usage(5, 4, 2, 0)));
    assertThat(passthrough.answerText(answer)).isEqualTo("Hi");
    assertThat(passthrough.readAnswer("<html>".getBytes(StandardCharsets.UTF_8)).wellFormed()).isFalse();
    assertThat(new String(passthrough.streamError(dev.tollgate.protocol.GatewayError.of(
        dev.tollgate.protocol.ErrorCode.UPSTREAM_ERROR, "cut")), StandardCharsets.UTF_8))
        .startsWith("event: error\ndata: {\"type\":\"error\"").endsWith("\n\n");
  }
}

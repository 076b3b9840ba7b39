package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.Usage;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiStreamSnifferTest {

  /** Counts characters: linear, so a total over any split of the text is the total of the whole. */
  private final List<String> counted = new ArrayList<>();
  private final OpenAiStreamSniffer.TokenCounter characters = text -> {
    counted.add(text);
    return text.length();
  };

  private static SseEvent data(String data) {
    return new SseEvent(("data: " + data + "\n\n").getBytes(UTF_8), null, data);
  }

  private static String chunk(String choices, String usage) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":" + choices
        + (usage == null ? "" : ",\"usage\":" + usage) + "}";
  }

  private static String contentChoice(String text) {
    return "[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]";
  }

  private static final String USAGE =
      "{\"prompt_tokens\":120,\"completion_tokens\":9,\"total_tokens\":129,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":64},\"completion_tokens_details\":{\"reasoning_tokens\":5}}";

  private List<SseEvent> readFixture(String name) throws IOException {
    List<SseEvent> events = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream(name)) {
      SseReader reader = new SseReader(events::add, 1 << 20);
      reader.feed(in.readAllBytes());
      reader.finish();
    }
    return events;
  }

  @Test
  void usageIsReadFromTheFinalChunkWithItsDetails() throws IOException {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(true, characters);

    readFixture("tool-call-stream.sse").forEach(sniffer::onEvent);

    assertThat(sniffer.reportedUsage()).isEqualTo(new Usage(120, 9, 64, 3));
    assertThat(sniffer.sawFinish()).isTrue();
    assertThat(sniffer.sawDone()).isTrue();
    assertThat(sniffer.sawError()).isFalse();
  }

  @Test
  void usageChunkIsDroppedWhenOnlyTheGatewayAskedForIt() throws IOException {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);
    List<SseEvent> events = readFixture("tool-call-stream.sse");

    List<SseEvent> forwarded = events.stream().filter(sniffer::onEvent).toList();

    assertThat(forwarded).hasSize(events.size() - 1).noneMatch(e -> e.data().contains("\"choices\":[]"));
    assertThat(forwarded.getLast().data()).isEqualTo("[DONE]");
    assertThat(sniffer.reportedUsage()).isEqualTo(new Usage(120, 9, 64, 3));
  }

  @Test
  void usageChunkIsKeptWhenTheClientAskedForIt() throws IOException {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(true, characters);
    List<SseEvent> events = readFixture("tool-call-stream.sse");

    assertThat(events.stream().filter(sniffer::onEvent).toList()).isEqualTo(events);
  }

  @Test
  void usageChunkWithoutAnyChoicesFieldIsAlsoDropped() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    boolean forwarded = sniffer.onEvent(data("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"usage\":" + USAGE + "}"));

    assertThat(forwarded).isFalse();
    assertThat(sniffer.reportedUsage()).isEqualTo(new Usage(120, 9, 64, 5));
  }

  @Test
  void usageRidingOnAContentChunkIsKept() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    boolean forwarded = sniffer.onEvent(data(chunk(contentChoice("hi"), USAGE)));

    assertThat(forwarded).isTrue();
    assertThat(sniffer.reportedUsage()).isEqualTo(new Usage(120, 9, 64, 5));
  }

  @Test
  void nullUsageOnEveryChunkIsNotUsage() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    assertThat(sniffer.onEvent(data(chunk(contentChoice("hi"), "null")))).isTrue();
    assertThat(sniffer.onEvent(data(chunk("[]", "null")))).isTrue();
    assertThat(sniffer.reportedUsage()).isNull();
  }

  @Test
  void laterUsageReplacesEarlierUsage() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(true, characters);

    sniffer.onEvent(data(chunk(contentChoice("a"), "{\"prompt_tokens\":10,\"completion_tokens\":1}")));
    sniffer.onEvent(data(chunk("[]", "{\"prompt_tokens\":10,\"completion_tokens\":7}")));

    assertThat(sniffer.reportedUsage()).isEqualTo(new Usage(10, 7, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[DONE]", "[DONE]  ", " [DONE]", "[DONE]\t"})
  void doneMarkerIsRecognisedWithSurroundingSpaces(String marker) {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    assertThat(sniffer.onEvent(data(marker))).isTrue();
    assertThat(sniffer.sawDone()).isTrue();
  }

  @Test
  void finishReasonIsDetectedOnlyWhenItIsAString() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    sniffer.onEvent(data(chunk(contentChoice("a"), null)));
    assertThat(sniffer.sawFinish()).isFalse();
    sniffer.onEvent(data(chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]", null)));

    assertThat(sniffer.sawFinish()).isTrue();
    assertThat(sniffer.sawDone()).isFalse();
  }

  @Test
  void errorChunkIsDetectedAndForwarded() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    boolean forwarded = sniffer.onEvent(data("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));

    assertThat(forwarded).isTrue();
    assertThat(sniffer.sawError()).isTrue();
  }

  @Test
  void commentsAndNonJsonDataAreForwardedUntouched() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    assertThat(sniffer.onEvent(new SseEvent(": ping\n\n".getBytes(UTF_8), null, null))).isTrue();
    assertThat(sniffer.onEvent(data("not json"))).isTrue();
    assertThat(sniffer.onEvent(data("{\"broken\":"))).isTrue();
    assertThat(sniffer.onEvent(data(""))).isTrue();
    assertThat(sniffer.reportedUsage()).isNull();
    assertThat(sniffer.sawFinish() || sniffer.sawDone() || sniffer.sawError()).isFalse();
  }

  @Test
  void generatedTextCountsContentReasoningRefusalAndToolCalls() throws IOException {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(true, characters);
    readFixture("tool-call-stream.sse").forEach(sniffer::onEvent);
    sniffer.onEvent(data(chunk("[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]", null)));
    sniffer.onEvent(data(chunk("[{\"index\":0,\"delta\":{\"reasoning\":\"more\"}}]", null)));
    sniffer.onEvent(data(chunk("[{\"index\":0,\"delta\":{\"refusal\":\"no\"}}]", null)));
    sniffer.onEvent(data(chunk(contentChoice("héllo 🌍"), null)));

    int estimate = sniffer.estimatedCompletionTokens();

    String generated = "get_weather" + "{\"city\":" + "\"Paris\"}" + "think" + "more" + "no" + "héllo 🌍";
    assertThat(estimate).isEqualTo(generated.length());
  }

  @Test
  void estimateCountsTextBeyondTheWindowExactlyOnce() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);
    String piece = "x".repeat(1000);
    int pieces = 50; // 50 000 characters; the 16 KiB window is handed over at 17 000, twice

    for (int i = 0; i < pieces; i++) {
      sniffer.onEvent(data(chunk(contentChoice(piece), null)));
    }

    assertThat(sniffer.estimatedCompletionTokens()).isEqualTo(pieces * piece.length());
    assertThat(sniffer.estimatedCompletionTokens()).isEqualTo(pieces * piece.length()); // no double counting on a second ask
    assertThat(counted).filteredOn(t -> t.length() >= 16 * 1024).hasSize(2);
    assertThat(counted).allSatisfy(t -> assertThat(t.length()).isLessThan(16 * 1024 + piece.length()));
  }

  @Test
  void noGeneratedTextEstimatesZeroWithoutCallingTheCounter() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    assertThat(sniffer.estimatedCompletionTokens()).isZero();
    assertThat(counted).isEmpty();
  }

  @Test
  void secondChoiceFinishIsSeenToo() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, characters);

    sniffer.onEvent(data(chunk("[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null},"
        + "{\"index\":1,\"delta\":{},\"finish_reason\":\"stop\"}]", null)));

    assertThat(sniffer.sawFinish()).isTrue();
    assertThat(sniffer.estimatedCompletionTokens()).isEqualTo(1);
  }

  @Test
  void memberDetectionLooksAtValuesNotAtTextThatMentionsThem() {
    assertThat(dev.tollgate.protocol.JsonScan.hasMember("{\"usage\":null}", "\"usage\"", '{')).isFalse();
    assertThat(dev.tollgate.protocol.JsonScan.hasMember("{\"usage\" : \n {\"prompt_tokens\":1}}", "\"usage\"", '{')).isTrue();
    assertThat(dev.tollgate.protocol.JsonScan.hasMember("{\"content\":\"say \\\"usage\\\":{ please\",\"usage\":null}", "\"usage\"", '{'))
        .as("escaped quotes inside content").isFalse();
    assertThat(dev.tollgate.protocol.JsonScan.hasMember("{\"finish_reason\":null}", "\"finish_reason\"", '"')).isFalse();
    assertThat(dev.tollgate.protocol.JsonScan.hasMember("{\"a\":{\"finish_reason\": \"stop\"}}", "\"finish_reason\"", '"')).isTrue();
  }

  @Test
  void usageOnEveryChunkAsNullIsNotMistakenForTheUsageChunk() {
    OpenAiStreamSniffer sniffer = new OpenAiStreamSniffer(false, text -> text.length());
    String content = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}],\"usage\":null}";
    String usage = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";

    assertThat(sniffer.onEvent(new dev.tollgate.sse.SseEvent(new byte[0], null, content))).isTrue();
    assertThat(sniffer.onEvent(new dev.tollgate.sse.SseEvent(new byte[0], null, usage))).isFalse();
    assertThat(sniffer.reportedUsage()).isEqualTo(new dev.tollgate.protocol.Usage(3, 1, 0, 0));
    assertThat(sniffer.estimatedCompletionTokens()).as("deferred content is still counted when asked").isEqualTo(2);
  }
}

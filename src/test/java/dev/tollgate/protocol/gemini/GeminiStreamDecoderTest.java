package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.GeminiFixtures.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamDecoderTest {

  private static final List<StreamEvent> EXPECTED = List.of(
      new StreamEvent.Start("mFq", "gemini-2.5-flash", new TokenUsage(120, 0, 0, 0, 0)),
      new StreamEvent.ThinkingDelta("Thinking about the weather.", null, "gemini"),
      new StreamEvent.TextDelta("It is"),
      new StreamEvent.TextDelta(" 18 °C in Paris — 🌍 sunny."),
      new StreamEvent.ToolCallStart(0, "call_mFq_0", "get_weather", "c2ln"),
      new StreamEvent.ToolArgsDelta(0, "{\"city\":\"Rome\",\"days\":[1,2]}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(1, "call_mFq_1", "get_time"),
      new StreamEvent.ToolArgsDelta(1, "{}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, new TokenUsage(120, 64, 0, 43, 12)));

  private static List<StreamEvent> decode(byte[]... pieces) {
    ChatCodec.StreamDecoder decoder = new GeminiCodec().newStreamDecoder(Canonical.ASKED);
    List<StreamEvent> events = new ArrayList<>();
    for (byte[] piece : pieces) {
      decoder.feed(piece, events::add);
    }
    decoder.finish(events::add);
    return events;
  }

  private static List<StreamEvent> decode(String stream) {
    return decode(stream.getBytes(UTF_8));
  }

  @Test
  void aStreamWithTextThoughtsCallsAndRepeatedUsageDecodesToCanonicalEvents() {
    assertThat(decode(bytes("stream-tool-calls.sse"))).isEqualTo(EXPECTED);
  }

  @Test
  void splittingTheStreamAtAnyByteGivesTheSameEvents() {
    byte[] stream = bytes("stream-tool-calls.sse");
    for (int cut = 0; cut <= stream.length; cut++) {
      List<StreamEvent> events = decode(Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length));

      assertThat(events).as("cut at byte %d", cut).isEqualTo(EXPECTED);
    }
  }

  @Test
  void feedingOneByteAtATimeGivesTheSameEvents() {
    byte[] stream = bytes("stream-tool-calls.sse");
    byte[][] pieces = new byte[stream.length][];
    for (int i = 0; i < stream.length; i++) {
      pieces[i] = new byte[] {stream[i]};
    }

    assertThat(decode(pieces)).isEqualTo(EXPECTED);
  }

  @Test
  void theLatestUsageWinsAndAPlainStopIsStop() {
    List<StreamEvent> events = decode("""
        data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1}}

        data: {"candidates":[{"content":{"parts":[{"text":"!"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2}}

        """);

    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Finish(FinishReason.STOP, new TokenUsage(5, 0, 0, 2, 0)));
  }

  @Test
  void usageArrivingAfterTheFinishReasonIsKept() {
    List<StreamEvent> events = decode("""
        data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"MAX_TOKENS"}]}

        data: {"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":7}}

        """);

    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Finish(FinishReason.LENGTH, new TokenUsage(5, 0, 0, 7, 0)));
  }

  @Test
  void aStreamCutBeforeAFinishReasonEndsWithAnUpstreamError() {
    List<StreamEvent> events = decode("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],\"responseId\":\"x\"}\n\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" th");

    assertThat(events).hasSize(3);
    assertThat(events.get(1)).isEqualTo(new StreamEvent.TextDelta("Hi"));
    assertThat(events.get(2)).isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
  }

  @Test
  void anEmptyStreamIsAnUpstreamError() {
    assertThat(decode("")).singleElement().isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void anErrorObjectMidStreamEndsItWithItsMessage() {
    List<StreamEvent> events = decode("""
        data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}

        data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}

        data: {"candidates":[{"content":{"parts":[{"text":"ignored"}]},"finishReason":"STOP"}]}

        """);

    assertThat(events).hasSize(3);
    assertThat(events.get(2)).isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.error().message()).contains("The model is overloaded."));
  }

  @Test
  void aBlockedPromptInAStreamFinishesAsContentFilter() {
    List<StreamEvent> events = decode("data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"responseId\":\"b\"}\n\n");

    assertThat(events).containsExactly(
        new StreamEvent.Start("b", null, null),
        new StreamEvent.Finish(FinishReason.CONTENT_FILTER, null));
  }

  @Test
  void commentsAndOtherCandidatesAreIgnored() {
    List<StreamEvent> events = decode("""
        : keepalive

        data: {"candidates":[{"content":{"parts":[{"text":"zero"}]},"index":0},{"content":{"parts":[{"text":"one"}]},"index":1}]}

        data: {"candidates":[{"finishReason":"STOP","index":0}]}

        """);

    assertThat(events).filteredOn(StreamEvent.TextDelta.class::isInstance).containsExactly(new StreamEvent.TextDelta("zero"));
  }

  @Test
  void aFinalEventWithoutItsBlankLineStillCounts() {
    List<StreamEvent> events = decode("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}]}");

    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Finish(FinishReason.STOP, null));
  }

  @Test
  void textThatQuotesFieldNamesIsText() {
    List<StreamEvent> events = decode("""
        data: {"candidates":[{"content":{"parts":[{"text":"a \\"functionCall\\" or \\"error\\": my_var"}]},"finishReason":"STOP"}]}

        """);

    assertThat(events).contains(new StreamEvent.TextDelta("a \"functionCall\" or \"error\": my_var"));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Finish(FinishReason.STOP, null));
  }

  @Test
  void snakeCaseFieldsAreReadAsTheirCamelCaseSpelling() {
    List<StreamEvent> events = decode("""
        data: {"response_id":"s","candidates":[{"content":{"parts":[{"text":"Hi"}]}}],"usage_metadata":{"prompt_token_count":4}}

        data: {"candidates":[{"content":{"parts":[{"text":"!"}]},"finish_reason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":4,"candidates_token_count":9}}

        """);

    assertThat(events).containsExactly(
        new StreamEvent.Start("s", null, new TokenUsage(4, 0, 0, 0, 0)),
        new StreamEvent.TextDelta("Hi"),
        new StreamEvent.TextDelta("!"),
        new StreamEvent.Finish(FinishReason.LENGTH, new TokenUsage(4, 0, 0, 9, 0)));
  }

  @Test
  void aTextPartWithAThoughtSignatureKeepsTheSignature() {
    List<StreamEvent> events = decode("""
        data: {"candidates":[{"content":{"parts":[{"text":"Hi","thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}

        """);

    assertThat(events).contains(new StreamEvent.TextDelta("Hi"), new StreamEvent.ThinkingDelta(null, "c2ln", "gemini"));
    assertThat(events.get(events.size() - 1)).isEqualTo(new StreamEvent.Finish(FinishReason.STOP, null));
  }
}

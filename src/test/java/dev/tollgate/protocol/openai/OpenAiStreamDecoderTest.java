package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static dev.tollgate.protocol.openai.CodecFixtures.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.StreamEvent.Finish;
import dev.tollgate.protocol.canonical.StreamEvent.Start;
import dev.tollgate.protocol.canonical.StreamEvent.TextDelta;
import dev.tollgate.protocol.canonical.StreamEvent.ThinkingDelta;
import dev.tollgate.protocol.canonical.StreamEvent.ToolArgsDelta;
import dev.tollgate.protocol.canonical.StreamEvent.ToolCallStart;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiStreamDecoderTest {

  static final List<StreamEvent> PARALLEL_TOOLS_EVENTS = List.of(
      new Start("chatcmpl-9x", "gpt-4o", null),
      new TextDelta("Checking Paris "),
      new TextDelta("and Lyon — ☀️"),
      new ToolCallStart(0, "call_a1", "get_weather"),
      new ToolArgsDelta(0, "{\"city\":"),
      new ToolArgsDelta(0, "\"Paris\"}"),
      new ToolCallStart(1, "call_b2", "get_weather"),
      new ToolArgsDelta(1, "{\"city\":\"Lyon\"}"),
      new Finish(FinishReason.TOOL_CALLS, new TokenUsage(120, 64, 0, 30, 0)));

  @Test
  void realisticStreamBecomesCanonicalEvents() {
    assertThat(decode(bytes("parallel-tools.upstream.sse"))).isEqualTo(PARALLEL_TOOLS_EVENTS);
  }

  @Test
  void splittingTheStreamAtEveryBytePositionGivesTheSameEvents() {
    byte[] stream = bytes("parallel-tools.upstream.sse");
    for (int cut = 0; cut <= stream.length; cut++) {
      List<StreamEvent> events = decode(Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length));

      assertThat(events).as("cut at byte %d", cut).isEqualTo(PARALLEL_TOOLS_EVENTS);
    }
  }

  @Test
  void feedingOneByteAtATimeGivesTheSameEvents() {
    byte[] stream = bytes("parallel-tools.upstream.sse");
    byte[][] chunks = new byte[stream.length][];
    for (int i = 0; i < stream.length; i++) {
      chunks[i] = new byte[] {stream[i]};
    }

    assertThat(decode(chunks)).isEqualTo(PARALLEL_TOOLS_EVENTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"data: [DONE]   \n\n", "data:[DONE]\r\n\r\n", "data: [DONE]"})
  void doneMarkerVariantsFinish(String done) {
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"hi\"}", "\"stop\"")) + done);

    assertThat(events).last().isEqualTo(new Finish(FinishReason.STOP, null));
  }

  @Test
  void endOfStreamAfterAFinishReasonFinishes() {
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"hi\"}", null), chunk("{}", "\"length\"")));

    assertThat(events).containsExactly(new Start("c1", "m", null), new TextDelta("hi"), new Finish(FinishReason.LENGTH, null));
  }

  @Test
  void endOfStreamWithoutAFinishReasonIsACutStream() {
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"hi\"}", null)));

    assertThat(events).hasSize(3).last().isInstanceOfSatisfying(StreamEvent.Error.class,
        error -> assertThat(error.error().code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
  }

  @Test
  void anErrorDataLineBecomesAnErrorEventAndEndsTheStream() {
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"hi\"}", null))
        + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n"
        + sse(chunk("{\"content\":\"late\"}", "\"stop\"")) + "data: [DONE]\n\n");

    assertThat(events).hasSize(3).last().isInstanceOfSatisfying(StreamEvent.Error.class, error -> {
      assertThat(error.error().code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
      assertThat(error.error().message()).contains("The server had an error");
    });
  }

  @Test
  void malformedChunkIsAnError() {
    List<StreamEvent> events = decode("data: {\"id\":\n\n");

    assertThat(events).singleElement().isInstanceOf(StreamEvent.Error.class);
  }

  @Test
  void aNewIndexStartsACallEvenWhenItsIdComesLaterOrRepeats() {
    List<StreamEvent> events = decode(sse(
        chunk("{\"tool_calls\":[{\"index\":0,\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_late\",\"function\":{\"arguments\":\"{}\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_x\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"a\\\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_x\",\"function\":{\"arguments\":\":1}\"}}]}", "\"tool_calls\"")));

    assertThat(events).filteredOn(ToolCallStart.class::isInstance).hasSize(2);
    ToolCallStart first = (ToolCallStart) events.get(1);
    assertThat(first.callIndex()).isZero();
    assertThat(first.name()).isEqualTo("f");
    assertThat(first.id()).startsWith("call_");
    assertThat(events.subList(2, events.size())).containsExactly(
        new ToolArgsDelta(0, "{}"),
        new ToolCallStart(1, "call_x", "g"),
        new ToolArgsDelta(1, "{\"a\""),
        new ToolArgsDelta(1, ":1}"),
        new Finish(FinishReason.TOOL_CALLS, null));
  }

  @Test
  void callsWithoutIndexAreToldApartByNewIds() {
    List<StreamEvent> events = decode(sse(
        chunk("{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}", null),
        chunk("{\"tool_calls\":[{\"function\":{\"arguments\":\"}\"}}]}", null),
        chunk("{\"tool_calls\":[{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", "\"tool_calls\"")));

    assertThat(events.subList(1, events.size())).containsExactly(
        new ToolCallStart(0, "a", "f"), new ToolArgsDelta(0, "{"), new ToolArgsDelta(0, "}"),
        new ToolCallStart(1, "b", "g"), new ToolArgsDelta(1, "{}"), new Finish(FinishReason.TOOL_CALLS, null));
  }

  @Test
  void textAndSeveralCallsInOneChunkKeepTheirOrder() {
    List<StreamEvent> events = decode(sse(
        chunk("{\"content\":\"a\",\"tool_calls\":[{\"index\":0,\"id\":\"c0\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}},"
            + "{\"index\":1,\"id\":\"c1\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null),
        chunk("{\"content\":\"b\",\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}", null),
        chunk("{\"content\":null,\"tool_calls\":null}", "\"tool_calls\"")));

    assertThat(events.subList(1, events.size())).containsExactly(
        new TextDelta("a"), new ToolCallStart(0, "c0", "f"), new ToolArgsDelta(0, "{"),
        new ToolCallStart(1, "c1", "g"), new ToolArgsDelta(1, "{}"),
        new TextDelta("b"), new ToolArgsDelta(0, "}"), new Finish(FinishReason.TOOL_CALLS, null));
  }

  @Test
  void oddlyTypedToolCallFieldsMeanWhatTheyMeanInATree() {
    List<StreamEvent> events = decode(sse(
        chunk("{\"tool_calls\":[{\"index\":0.0,\"id\":\"c0\",\"function\":{\"name\":7,\"arguments\":\"{\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":null,\"function\":{\"arguments\":\"}\",\"arguments\":null}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"},\"function\":{\"name\":\"x\"}}]}", "\"stop\"")));

    assertThat(events.subList(1, events.size())).containsExactly(
        new ToolCallStart(0, "c0", ""), new ToolArgsDelta(0, "{"), new Finish(FinishReason.TOOL_CALLS, null));
  }

  @Test
  void chunksAfterAnOddOneAreReadAsUsual() {
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"a\"}", null) + " trailing", chunk("{\"content\":\"b\"", null),
        chunk("{\"content\":\"c\"}", "\"stop\"")));

    assertThat(events).filteredOn(TextDelta.class::isInstance).containsExactly(new TextDelta("a"));
    assertThat(events).last().isInstanceOf(StreamEvent.Error.class);

    assertThat(decode(sse(chunk("{\"content\":\"a\"}", null) + " trailing", "{\"choices\":[{\"index\":0},{\"index\":1}]}",
        chunk("{\"content\":\"c\"}", "\"stop\""))))
        .filteredOn(TextDelta.class::isInstance).containsExactly(new TextDelta("a"), new TextDelta("c"));
  }

  @Test
  void stopAfterToolCallsBecomesToolCalls() {
    List<StreamEvent> events = decode(sse(
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}", "\"stop\"")));

    assertThat(events).last().isEqualTo(new Finish(FinishReason.TOOL_CALLS, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"reasoning_content", "reasoning"})
  void vendorReasoningBecomesThinking(String field) {
    List<StreamEvent> events = decode(sse(chunk("{\"" + field + "\":\"let me think\"}", null), chunk("{\"content\":\"ok\"}", "\"stop\"")));

    assertThat(events).containsSubsequence(new ThinkingDelta("let me think", null, null), new TextDelta("ok"));
  }

  @Test
  void onlyChoiceZeroIsConverted() {
    String other = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"second\"},\"finish_reason\":null}]}";
    List<StreamEvent> events = decode(sse(chunk("{\"content\":\"first\"}", null), other, chunk("{}", "\"stop\"")));

    assertThat(events).filteredOn(TextDelta.class::isInstance).containsExactly(new TextDelta("first"));
  }

  @Test
  void usageOnTheFinishChunkIsKept() {
    String last = "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

    assertThat(decode(sse(chunk("{\"content\":\"x\"}", null), last))).last().isEqualTo(new Finish(FinishReason.STOP, new TokenUsage(3, 0, 0, 2, 0)));
  }

  @Test
  void commentsEventNamesAndIdsAreIgnored() {
    String stream = ": OPENROUTER PROCESSING\n\nevent: message\nid: 7\n" + "data: " + chunk("{\"content\":\"x\"}", "\"stop\"") + "\n\ndata: [DONE]\n\n";

    assertThat(decode(stream)).containsExactly(new Start("c1", "m", null), new TextDelta("x"), new Finish(FinishReason.STOP, null));
  }

  @Test
  void nothingIsEmittedAfterTheEnd() {
    ChatCodec.StreamDecoder decoder = CODEC.newStreamDecoder(CodecFixtures.ASKED);
    List<StreamEvent> events = new ArrayList<>();
    decoder.feed((sse(chunk("{\"content\":\"x\"}", "\"stop\"")) + "data: [DONE]\n\n").getBytes(UTF_8), events::add);
    int atDone = events.size();

    decoder.feed(sse(chunk("{\"content\":\"more\"}", null)).getBytes(UTF_8), events::add);
    decoder.finish(events::add);

    assertThat(events).hasSize(atDone);
  }

  // Helpers

  static String chunk(String delta, String finishReason) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + finishReason + "}]}";
  }

  static String sse(String... chunks) {
    StringBuilder out = new StringBuilder();
    for (String chunk : chunks) {
      out.append("data: ").append(chunk).append("\n\n");
    }
    return out.toString();
  }

  static List<StreamEvent> decode(String stream) {
    return decode(stream.getBytes(UTF_8));
  }

  static List<StreamEvent> decode(byte[]... chunks) {
    ChatCodec.StreamDecoder decoder = CODEC.newStreamDecoder(CodecFixtures.ASKED);
    List<StreamEvent> events = new ArrayList<>();
    for (byte[] chunk : chunks) {
      decoder.feed(chunk, events::add);
    }
    decoder.finish(events::add);
    return events;
  }

  @Test
  void anErrorOfAnyShapeEndsTheStreamEvenAfterPlainTextChunks() {
    List<StreamEvent> events = new java.util.ArrayList<>();
    var decoder = new OpenAiCodec().newStreamDecoder(CodecFixtures.ASKED);
    decoder.feed(("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"error\":\"upstream exploded\"}\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), events::add);

    assertThat(events).hasSize(3);
    assertThat(events.get(1)).isEqualTo(new StreamEvent.TextDelta("Hi"));
    assertThat(events.get(2)).isInstanceOf(StreamEvent.Error.class);
  }
}

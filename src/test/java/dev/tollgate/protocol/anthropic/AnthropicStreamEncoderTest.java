package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnthropicStreamEncoderTest {

  private static final TokenUsage INPUT = new TokenUsage(100, 20, 10, 0, 0);
  private static final TokenUsage FINAL = new TokenUsage(100, 20, 10, 50, 0);

  /** text → call → call → text → finish, as an upstream that closes each block sends it. */
  private static final List<StreamEvent> IN_ORDER = List.of(
      new StreamEvent.Start("msg_abc", "upstream-model", INPUT),
      new StreamEvent.TextDelta("Checking "),
      new StreamEvent.TextDelta("both."),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(0, "call_1", "get_weather"),
      new StreamEvent.ToolArgsDelta(0, "{\"city\":"),
      new StreamEvent.ToolArgsDelta(0, "\"Paris\"}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(1, "call_2", "get_time"),
      new StreamEvent.ToolArgsDelta(1, "{}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.TextDelta("Done."),
      new StreamEvent.BlockStop(),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, FINAL));

  private record Sse(String name, JsonNode data) {}

  private static byte[] encode(List<StreamEvent> events) {
    ChatCodec.StreamEncoder encoder = new AnthropicCodec().newStreamEncoder(
        request(List.of(Message.text(Role.USER, "hi"))), new ChatCodec.StreamOptions(false, false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(e -> out.writeBytes(encoder.encode(e)));
    return out.toByteArray();
  }

  private static List<Sse> parse(byte[] stream) {
    List<Sse> events = new ArrayList<>();
    SseReader reader = new SseReader(e -> events.add(sse(e)), 1 << 20);
    reader.feed(stream);
    reader.finish();
    return events;
  }

  private static Sse sse(SseEvent event) {
    JsonNode data = Fixtures.tree(event.data());
    assertThat(data.get("type").asText()).as("data type matches the event name").isEqualTo(event.event());
    return new Sse(event.event(), data);
  }

  /** Asserts the block discipline the SDK relies on and returns the block types in index order. */
  private static List<String> checkBlocks(List<Sse> events) {
    List<String> types = new ArrayList<>();
    Integer open = null;
    for (Sse e : events) {
      switch (e.name()) {
        case "content_block_start" -> {
          assertThat(open).as("a block is closed before the next opens").isNull();
          assertThat(e.data().get("index").asInt()).as("dense indices").isEqualTo(types.size());
          open = e.data().get("index").asInt();
          types.add(e.data().get("content_block").get("type").asText());
        }
        case "content_block_delta" -> assertThat(e.data().get("index").asInt()).isEqualTo(open);
        case "content_block_stop" -> {
          assertThat(e.data().get("index").asInt()).isEqualTo(open);
          open = null;
        }
        default -> assertThat(open).as(e.name() + " outside any block").isNull();
      }
    }
    return types;
  }

  @Test
  void blocksHaveDenseIndicesAndAreEachClosed() {
    List<Sse> events = parse(encode(IN_ORDER));

    assertThat(checkBlocks(events)).containsExactly("text", "tool_use", "tool_use", "text");
    assertThat(events.getFirst().name()).isEqualTo("message_start");
    assertThat(events.getLast().name()).isEqualTo("message_stop");
  }

  @Test
  void messageStartCarriesTheClientModelAndUncachedInput() {
    JsonNode message = parse(encode(IN_ORDER)).getFirst().data().get("message");

    assertThat(message.get("id").asText()).isEqualTo("msg_abc");
    assertThat(message.get("model").asText()).isEqualTo("client-model");
    assertThat(message.get("content")).isEmpty();
    assertThat(message.get("stop_reason").isNull()).isTrue();
    assertThat(message.get("usage").get("input_tokens").asInt()).isEqualTo(70);
    assertThat(message.get("usage").get("output_tokens").asInt()).isZero();
  }

  @Test
  void messageDeltaCarriesStopReasonAndUsage() {
    List<Sse> events = parse(encode(IN_ORDER));
    JsonNode delta = events.get(events.size() - 2).data();

    assertThat(delta.get("type").asText()).isEqualTo("message_delta");
    assertThat(delta.get("delta")).isEqualTo(Fixtures.tree("{\"stop_reason\":\"tool_use\",\"stop_sequence\":null}"));
    assertThat(delta.get("usage")).isEqualTo(Fixtures.tree(
        "{\"input_tokens\":70,\"output_tokens\":50,\"cache_creation_input_tokens\":10,\"cache_read_input_tokens\":20}"));
  }

  @Test
  void toolUseBlocksStartWithEmptyInputThenStreamPartialJson() {
    List<Sse> events = parse(encode(IN_ORDER));
    JsonNode start = events.stream().filter(e -> e.name().equals("content_block_start")).toList().get(1).data();

    assertThat(start.get("content_block")).isEqualTo(Fixtures.tree(
        "{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{}}"));
    assertThat(events.stream().filter(e -> e.name().equals("content_block_delta"))
        .map(e -> e.data().get("delta")).filter(d -> d.get("type").asText().equals("input_json_delta"))
        .map(d -> d.get("partial_json").asText()).toList())
        .containsExactly("{\"city\":", "\"Paris\"}", "{}");
  }

  @Test
  void outputParsesBackThroughTheDecoderToTheSameEvents() {
    List<StreamEvent> decoded = AnthropicStreamDecoderTest.decode(encode(IN_ORDER));

    List<StreamEvent> expected = new ArrayList<>(IN_ORDER);
    expected.set(0, new StreamEvent.Start("msg_abc", "client-model", INPUT));
    assertThat(decoded).containsExactlyElementsOf(expected);
  }

  @Test
  void textAfterAToolCallOpensANewTextBlockWithoutBlockStops() {
    List<Sse> events = parse(encode(List.of(
        new StreamEvent.Start("x", "m", null),
        new StreamEvent.TextDelta("a"),
        new StreamEvent.ToolCallStart(0, "c1", "f"),
        new StreamEvent.ToolArgsDelta(0, "{}"),
        new StreamEvent.TextDelta("b"),
        new StreamEvent.Finish(FinishReason.STOP, null))));

    assertThat(checkBlocks(events)).containsExactly("text", "tool_use", "text");
    assertThat(events.get(events.size() - 2).data().get("delta").get("stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void interleavedToolDeltasAreHeldAndEachCallWrittenWhole() {
    List<Sse> events = parse(encode(List.of(
        new StreamEvent.Start("x", "m", null),
        new StreamEvent.ToolCallStart(0, "c1", "f"),
        new StreamEvent.ToolCallStart(1, "c2", "g"),
        new StreamEvent.ToolCallStart(2, "c3", "h"),
        new StreamEvent.ToolArgsDelta(1, "{\"b\":"),
        new StreamEvent.ToolArgsDelta(0, "{\"a\":1}"),
        new StreamEvent.ToolArgsDelta(2, "{}"),
        new StreamEvent.ToolArgsDelta(1, "2}"),
        new StreamEvent.Finish(FinishReason.TOOL_CALLS, null))));

    assertThat(checkBlocks(events)).containsExactly("tool_use", "tool_use", "tool_use");
    List<StreamEvent> decoded = AnthropicStreamDecoderTest.decode(encodeBytes(events));
    assertThat(argumentsByCall(decoded)).containsExactly("{\"a\":1}", "{\"b\":2}", "{}");
  }

  @Test
  void errorIsAnErrorEventAndNothingFollows() {
    ChatCodec.StreamEncoder encoder = new AnthropicCodec().newStreamEncoder(request(List.of()), new ChatCodec.StreamOptions(false, false));
    encoder.encode(new StreamEvent.Start("x", "m", null));
    encoder.encode(new StreamEvent.TextDelta("partial"));

    byte[] error = encoder.encode(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "upstream reset")));

    assertThat(new String(error, StandardCharsets.UTF_8)).isEqualTo(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream reset\"}}\n\n");
    assertThat(encoder.encode(new StreamEvent.Finish(FinishReason.STOP, null))).isEmpty();
  }

  @Test
  void eventsAreWrittenAsNamedSseEvents() {
    ChatCodec.StreamEncoder encoder = new AnthropicCodec().newStreamEncoder(request(List.of()), new ChatCodec.StreamOptions(false, false));

    String start = new String(encoder.encode(new StreamEvent.Start("msg_1", "m", null)), StandardCharsets.UTF_8);

    assertThat(encoder.contentType()).isEqualTo("text/event-stream");
    assertThat(start).startsWith("event: message_start\ndata: {\"type\":\"message_start\"").endsWith("}\n\n");
  }

  @Test
  void thinkingStreamsAsAThinkingBlockWithAPrefixedSignature() {
    List<Sse> events = parse(encode(List.of(
        new StreamEvent.Start("x", "m", null),
        new StreamEvent.ThinkingDelta("hmm", null, "gemini"),
        new StreamEvent.ThinkingDelta(null, "SIG", "gemini"),
        new StreamEvent.TextDelta("answer"),
        new StreamEvent.Finish(FinishReason.STOP, null))));

    assertThat(checkBlocks(events)).containsExactly("thinking", "text");
    Set<String> deltas = new HashSet<>();
    events.stream().filter(e -> e.name().equals("content_block_delta")).forEach(e -> deltas.add(e.data().get("delta").toString()));
    assertThat(deltas).contains(
        "{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}",
        "{\"type\":\"signature_delta\",\"signature\":\"tg1:gemini:SIG\"}");
  }

  @Test
  void aSignatureOfUnknownOriginIsStillPrefixedSoItNeverReachesAnthropic() {
    List<Sse> events = parse(encode(List.of(
        new StreamEvent.Start("x", "m", null),
        new StreamEvent.ThinkingDelta(null, "SIG", null),
        new StreamEvent.Finish(FinishReason.STOP, null))));

    assertThat(events.stream().filter(e -> e.name().equals("content_block_delta")).map(e -> e.data().get("delta").toString()))
        .containsExactly("{\"type\":\"signature_delta\",\"signature\":\"tg1:unknown:SIG\"}");
  }

  @Test
  void contentBeforeStartStillOpensWithMessageStart() {
    List<Sse> events = parse(encode(List.of(new StreamEvent.TextDelta("hi"), new StreamEvent.Finish(FinishReason.STOP, null))));

    assertThat(events.getFirst().name()).isEqualTo("message_start");
    assertThat(events.getFirst().data().get("message").get("id").asText()).startsWith("msg_");
  }

  private static byte[] encodeBytes(List<Sse> events) {
    StringBuilder out = new StringBuilder();
    events.forEach(e -> out.append("event: ").append(e.name()).append("\ndata: ").append(e.data()).append("\n\n"));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> argumentsByCall(List<StreamEvent> events) {
    List<StringBuilder> args = new ArrayList<>();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.ToolCallStart s) {
        assertThat(s.callIndex()).isEqualTo(args.size());
        args.add(new StringBuilder());
      } else if (e instanceof StreamEvent.ToolArgsDelta d) {
        args.get(d.callIndex()).append(d.json());
      }
    }
    return args.stream().map(StringBuilder::toString).toList();
  }
}

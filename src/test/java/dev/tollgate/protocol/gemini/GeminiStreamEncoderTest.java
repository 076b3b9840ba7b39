package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.Canonical.text;
import static dev.tollgate.protocol.gemini.Canonical.user;
import static dev.tollgate.protocol.gemini.GeminiFixtures.tree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamEncoderTest {

  private static final TokenUsage USAGE = new TokenUsage(120, 64, 0, 43, 12);

  /** Text, a thought, two calls (the first with arguments in pieces, the second with invalid JSON), the end. */
  private static final List<StreamEvent> ANSWER = List.of(
      new StreamEvent.Start("resp-1", "upstream-model", null),
      new StreamEvent.ThinkingDelta("Pondering.", null, "gemini"),
      new StreamEvent.ThinkingDelta(null, "sig", "gemini"),
      new StreamEvent.TextDelta("It is"),
      new StreamEvent.TextDelta(" 18 °C."),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(0, "call_a", "get_weather"),
      new StreamEvent.ToolArgsDelta(0, "{\"city\":"),
      new StreamEvent.ToolArgsDelta(0, "\"Rome\"}"),
      new StreamEvent.ToolCallStart(1, "call_b", "get_time"),
      new StreamEvent.ToolArgsDelta(1, "{\"tz\":"),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, USAGE));

  private static ChatRequest request(boolean includeThoughts) {
    Canonical.Builder builder = Canonical.builder(List.of(user(text("hi"))));
    builder.reasoning = includeThoughts ? new Reasoning(null, 1024, true) : null;
    return builder.build();
  }

  private static ChatCodec.StreamEncoder encoder(boolean includeThoughts, boolean jsonArray) {
    return new GeminiCodec().newStreamEncoder(request(includeThoughts), new ChatCodec.StreamOptions(false, jsonArray));
  }

  private static byte[] encodeAll(ChatCodec.StreamEncoder encoder, List<StreamEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(e -> out.writeBytes(encoder.encode(e)));
    return out.toByteArray();
  }

  private static List<JsonNode> sseChunks(byte[] stream) {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, 1 << 20);
    reader.feed(stream);
    assertThat(reader.hasPartialEvent()).as("every event ends with its blank line").isFalse();
    return events.stream().map(e -> tree(e.data())).toList();
  }

  private static List<JsonNode> arrayChunks(byte[] stream) {
    JsonNode array = tree(stream);
    assertThat(array.isArray()).isTrue();
    List<JsonNode> chunks = new ArrayList<>();
    array.forEach(chunks::add);
    return chunks;
  }

  private static final List<JsonNode> EXPECTED_CHUNKS = List.of(
      tree("""
          {"candidates":[{"content":{"role":"model","parts":[{"text":"It is"}]},"index":0}],
           "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"""),
      tree("""
          {"candidates":[{"content":{"role":"model","parts":[{"text":" 18 °C."}]},"index":0}],
           "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"""),
      tree("""
          {"candidates":[{"content":{"role":"model","parts":[
             {"functionCall":{"id":"call_a","name":"get_weather","args":{"city":"Rome"}}}]},"index":0}],
           "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"""),
      tree("""
          {"candidates":[{"content":{"role":"model","parts":[
             {"functionCall":{"id":"call_b","name":"get_time","args":{}}}]},"index":0}],
           "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"""),
      tree("""
          {"candidates":[{"content":{"role":"model","parts":[]},"finishReason":"STOP","index":0}],
           "usageMetadata":{"promptTokenCount":120,"candidatesTokenCount":31,"thoughtsTokenCount":12,
                            "cachedContentTokenCount":64,"totalTokenCount":163},
           "modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"""));

  @Test
  void sseFramingWritesOneDataEventPerChunkEndedByCrLfCrLf() {
    ChatCodec.StreamEncoder encoder = encoder(false, false);

    byte[] stream = encodeAll(encoder, ANSWER);

    assertThat(encoder.contentType()).isEqualTo("text/event-stream");
    assertThat(new String(stream, UTF_8)).startsWith("data: {").endsWith("}\r\n\r\n");
    assertThat(sseChunks(stream)).isEqualTo(EXPECTED_CHUNKS);
  }

  @Test
  void jsonArrayFramingWritesOneValidArrayOfTheSameChunks() {
    ChatCodec.StreamEncoder encoder = encoder(false, true);

    byte[] stream = encodeAll(encoder, ANSWER);

    assertThat(encoder.contentType()).isEqualTo("application/json");
    assertThat(new String(stream, UTF_8)).startsWith("[{").endsWith("}]");
    assertThat(arrayChunks(stream)).isEqualTo(EXPECTED_CHUNKS);
  }

  @Test
  void startWritesNothingYet() {
    assertThat(encoder(false, true).encode(new StreamEvent.Start("r", "m", null))).isEmpty();
  }

  @Test
  void toolCallsAreBufferedUntilTheirBlockEnds() {
    ChatCodec.StreamEncoder encoder = encoder(false, false);

    assertThat(encoder.encode(new StreamEvent.ToolCallStart(0, "c", "f"))).isEmpty();
    assertThat(encoder.encode(new StreamEvent.ToolArgsDelta(0, "{\"a\":1}"))).isEmpty();
    List<JsonNode> chunks = sseChunks(encoder.encode(new StreamEvent.BlockStop()));

    assertThat(chunks).singleElement().satisfies(chunk -> assertThat(chunk.at("/candidates/0/content/parts/0/functionCall"))
        .isEqualTo(tree("{\"id\":\"c\",\"name\":\"f\",\"args\":{\"a\":1}}")));
  }

  @Test
  void thoughtsAreSentOnlyWhenTheRequestAskedForThem() {
    List<StreamEvent> events = List.of(new StreamEvent.ThinkingDelta("Pondering.", null, "gemini"),
        new StreamEvent.ThinkingDelta(null, "sig", "gemini"), new StreamEvent.Finish(FinishReason.STOP, null));

    List<JsonNode> with = sseChunks(encodeAll(encoder(true, false), events));
    List<JsonNode> without = sseChunks(encodeAll(encoder(false, false), events));

    assertThat(with).hasSize(2);
    assertThat(with.get(0).at("/candidates/0/content/parts/0")).isEqualTo(tree("{\"text\":\"Pondering.\",\"thought\":true}"));
    assertThat(without).hasSize(1);
  }

  @Test
  void anErrorMidStreamIsTheLastArrayElementAndTheArrayStaysValid() {
    GatewayError error = GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "the upstream took too long");
    ChatCodec.StreamEncoder encoder = encoder(false, true);

    byte[] stream = encodeAll(encoder, List.of(new StreamEvent.Start("r", "m", null), new StreamEvent.TextDelta("Hi"),
        new StreamEvent.Error(error), new StreamEvent.TextDelta("after"), new StreamEvent.Finish(FinishReason.STOP, null)));

    List<JsonNode> chunks = arrayChunks(stream);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(1)).isEqualTo(tree(
        "{\"error\":{\"code\":504,\"message\":\"the upstream took too long\",\"status\":\"DEADLINE_EXCEEDED\"}}"));
  }

  @Test
  void anErrorBeforeAnyChunkIsAOneElementArray() {
    byte[] stream = encodeAll(encoder(false, true),
        List.of(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "boom"))));

    assertThat(arrayChunks(stream)).singleElement().satisfies(e -> assertThat(e.at("/error/status").asText()).isEqualTo("INTERNAL"));
  }

  @Test
  void anErrorInSseIsOneDataEventAndNothingFollows() {
    ChatCodec.StreamEncoder encoder = encoder(false, false);

    byte[] stream = encodeAll(encoder, List.of(new StreamEvent.TextDelta("Hi"),
        new StreamEvent.Error(GatewayError.of(ErrorCode.NO_AVAILABLE_NODE, "overloaded"))));

    assertThat(sseChunks(stream).get(1).at("/error/status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(encoder.encode(new StreamEvent.TextDelta("late"))).isEmpty();
  }

  @Test
  void aFinishWithoutUsageOmitsUsageMetadata() {
    List<JsonNode> chunks = sseChunks(encodeAll(encoder(false, false), List.of(new StreamEvent.Finish(FinishReason.LENGTH, null))));

    assertThat(chunks).singleElement().satisfies(chunk -> {
      assertThat(chunk.has("usageMetadata")).isFalse();
      assertThat(chunk.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    });
  }

  @Test
  void aStreamDecodedFromGeminiEncodesBackToEquivalentChunks() {
    ChatCodec.StreamDecoder decoder = new GeminiCodec().newStreamDecoder(Canonical.ASKED);
    List<StreamEvent> events = new ArrayList<>();
    decoder.feed(GeminiFixtures.bytes("stream-tool-calls.sse"), events::add);
    decoder.finish(events::add);

    List<JsonNode> chunks = sseChunks(encodeAll(encoder(true, false), events));

    assertThat(chunks).extracting(c -> c.at("/candidates/0/content/parts").toString()).containsExactly(
        "[{\"text\":\"Thinking about the weather.\",\"thought\":true}]",
        "[{\"text\":\"It is\"}]",
        "[{\"text\":\" 18 °C in Paris — 🌍 sunny.\"}]",
        "[{\"functionCall\":{\"id\":\"call_mFq_0\",\"name\":\"get_weather\",\"args\":{\"city\":\"Rome\",\"days\":[1,2]}},\"thoughtSignature\":\"c2ln\"}]",
        "[{\"functionCall\":{\"id\":\"call_mFq_1\",\"name\":\"get_time\",\"args\":{}}}]",
        "[]");
    assertThat(chunks.get(chunks.size() - 1).at("/usageMetadata/candidatesTokenCount").asLong()).isEqualTo(31);
  }
}

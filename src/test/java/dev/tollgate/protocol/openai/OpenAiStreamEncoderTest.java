package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static dev.tollgate.protocol.openai.CodecFixtures.bytes;
import static dev.tollgate.protocol.openai.CodecFixtures.canonical;
import static dev.tollgate.protocol.openai.OpenAiStreamDecoderTest.PARALLEL_TOOLS_EVENTS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.StreamEvent.Finish;
import dev.tollgate.protocol.canonical.StreamEvent.Start;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiStreamEncoderTest {

  private static final ChatRequest REQUEST = canonical(List.of(Message.text(Role.USER, "Weather?")));
  private static final ChatCodec.StreamOptions WITH_USAGE = new ChatCodec.StreamOptions(true, false);
  private static final ChatCodec.StreamOptions WITHOUT_USAGE = new ChatCodec.StreamOptions(false, false);

  @Test
  void eventsEncodeToTheGoldenClientStream() {
    assertThat(new String(encode(PARALLEL_TOOLS_EVENTS, WITH_USAGE), UTF_8))
        .isEqualTo(new String(bytes("parallel-tools.client.sse"), UTF_8));
  }

  @Test
  void encodedStreamDecodesBackToTheSameEvents() {
    List<StreamEvent> decoded = OpenAiStreamDecoderTest.decode(encode(PARALLEL_TOOLS_EVENTS, WITH_USAGE));

    List<StreamEvent> expected = new ArrayList<>(PARALLEL_TOOLS_EVENTS);
    expected.set(0, new Start("chatcmpl-9x", "client-model", null)); // the client's model name
    assertThat(decoded).isEqualTo(expected);
  }

  @Test
  void officialSdkAccumulatesTheStreamIntoTheAnswer() throws Exception {
    List<String> data = dataLines(encode(PARALLEL_TOOLS_EVENTS, WITH_USAGE));
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    for (String line : data.subList(0, data.size() - 1)) {
      accumulator.accumulate(ObjectMappers.jsonMapper().readValue(line, ChatCompletionChunk.class).validate());
    }

    ChatCompletion completion = accumulator.chatCompletion();
    ChatCompletion.Choice choice = completion.choices().getFirst();
    assertThat(choice.message().content()).contains("Checking Paris and Lyon — ☀️");
    assertThat(choice.message().toolCalls().orElseThrow()).extracting(ChatCompletionMessageToolCall::asFunction)
        .extracting(call -> call.id() + " " + call.function().name() + " " + call.function().arguments())
        .containsExactly("call_a1 get_weather {\"city\":\"Paris\"}", "call_b2 get_weather {\"city\":\"Lyon\"}");
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(120);
    assertThat(completion.model()).isEqualTo("client-model");
  }

  @Test
  void roleChunkComesFirstAndDoneLast() {
    List<String> data = dataLines(encode(PARALLEL_TOOLS_EVENTS, WITHOUT_USAGE));

    assertThat(data.getFirst()).contains("\"delta\":{\"role\":\"assistant\",\"content\":\"\"}");
    assertThat(data.getLast()).isEqualTo("[DONE]");
  }

  @Test
  void usageChunkIsWrittenOnlyWhenTheClientAskedForIt() {
    List<String> without = dataLines(encode(PARALLEL_TOOLS_EVENTS, WITHOUT_USAGE));
    List<String> with = dataLines(encode(PARALLEL_TOOLS_EVENTS, WITH_USAGE));

    assertThat(without).noneMatch(line -> line.contains("\"usage\""));
    assertThat(with).filteredOn(line -> line.contains("\"choices\":[]")).singleElement()
        .satisfies(line -> assertThat(line).contains("\"prompt_tokens\":120", "\"total_tokens\":150", "\"cached_tokens\":64"));
    assertThat(with.get(with.size() - 2)).contains("\"choices\":[]");
  }

  @Test
  void everyChunkRepeatsIdObjectCreatedAndTheClientModel() {
    List<String> data = dataLines(encode(PARALLEL_TOOLS_EVENTS, WITH_USAGE));

    assertThat(data.subList(0, data.size() - 1)).allSatisfy(line -> assertThat(line).startsWith(
        "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1730000500,\"model\":\"client-model\","));
  }

  @Test
  void thinkingAndBlockStopsWriteNothingByDefault() {
    ChatCodec.StreamEncoder encoder = CODEC.newStreamEncoder(REQUEST, WITHOUT_USAGE);
    encoder.encode(new Start("x", "m", null));

    assertThat(encoder.encode(new StreamEvent.ThinkingDelta("hmm", null, "gemini"))).isEmpty();
    assertThat(encoder.encode(new StreamEvent.BlockStop())).isEmpty();
  }

  @Test
  void withReasoningTextThinkingBecomesReasoningContentDeltasAndTheSdkStillReadsTheStream() throws Exception {
    ChatCodec.StreamOptions options = new ChatCodec.StreamOptions(false, false, true);
    List<String> data = dataLines(encode(List.of(
        new Start("chatcmpl-1", "m", null),
        new StreamEvent.ThinkingDelta("Weather ", null, "gemini"),
        new StreamEvent.ThinkingDelta("first.", null, "gemini"),
        new StreamEvent.ThinkingDelta(null, "sig", "gemini"),
        new StreamEvent.BlockStop(),
        new StreamEvent.TextDelta("Sunny."),
        new Finish(FinishReason.STOP, new TokenUsage(5, 0, 0, 9, 4))), options));

    assertThat(data).hasSize(6); // role, two reasoning deltas, text, finish, [DONE]: a signature alone writes nothing
    assertThat(data.get(1)).contains("\"delta\":{\"reasoning_content\":\"Weather \"}");
    assertThat(data.get(2)).contains("\"delta\":{\"reasoning_content\":\"first.\"}");
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    for (String line : data.subList(0, data.size() - 1)) {
      accumulator.accumulate(ObjectMappers.jsonMapper().readValue(line, ChatCompletionChunk.class).validate());
    }
    assertThat(accumulator.chatCompletion().choices().get(0).message().content()).contains("Sunny.");
  }

  @Test
  void errorIsAnErrorDataLineAndNothingFollows() {
    ChatCodec.StreamEncoder encoder = CODEC.newStreamEncoder(REQUEST, WITH_USAGE);
    encoder.encode(new Start("x", "m", null));

    byte[] error = encoder.encode(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "cut")));

    assertThat(new String(error, UTF_8)).isEqualTo(
        "data: {\"error\":{\"message\":\"cut\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_error\"}}\n\n");
    assertThat(encoder.encode(new Finish(FinishReason.STOP, null))).isEmpty();
  }

  @Test
  void toolCallsAreNumberedFromZeroWhateverTheCanonicalIndex() {
    List<String> data = dataLines(encode(List.of(
        new Start("chatcmpl-1", "m", null),
        new StreamEvent.ToolCallStart(3, "toolu_1", "f"),
        new StreamEvent.ToolArgsDelta(3, "{}"),
        new Finish(FinishReason.STOP, null)), WITHOUT_USAGE));

    assertThat(data.get(1)).contains("\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]");
    assertThat(data.get(2)).contains("\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]");
    assertThat(data.get(3)).contains("\"finish_reason\":\"tool_calls\"");
  }

  @Test
  void contentBeforeStartStillBeginsWithTheRoleChunk() {
    List<String> data = dataLines(encode(List.of(new StreamEvent.TextDelta("hi"), new Finish(FinishReason.LENGTH, null)), WITHOUT_USAGE));

    assertThat(data.getFirst()).contains("\"role\":\"assistant\"");
    assertThat(data.get(1)).contains("\"content\":\"hi\"");
    assertThat(data.get(2)).contains("\"finish_reason\":\"length\"");
  }

  @Test
  void streamIsServerSentEvents() {
    assertThat(CODEC.newStreamEncoder(REQUEST, WITH_USAGE).contentType()).isEqualTo("text/event-stream");
  }

  @Test
  void usageFromFinishIsWrittenWithDetails() {
    List<String> data = dataLines(encode(List.of(new Start("chatcmpl-1", "m", null),
        new Finish(FinishReason.STOP, new TokenUsage(10, 4, 2, 7, 3))), WITH_USAGE));

    assertThat(data.get(2)).endsWith("\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":7,\"total_tokens\":17,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":3}}}");
  }

  static byte[] encode(List<StreamEvent> events, ChatCodec.StreamOptions options) {
    ChatCodec.StreamEncoder encoder = CODEC.newStreamEncoder(REQUEST, options);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StreamEvent event : events) {
      out.writeBytes(encoder.encode(event));
    }
    return out.toByteArray();
  }

  /** The data of each event, in order; fails if the bytes are not well-formed OpenAI SSE. */
  static List<String> dataLines(byte[] stream) {
    String text = new String(stream, UTF_8);
    assertThat(text).endsWith("\n\n");
    List<String> data = new ArrayList<>();
    for (String event : text.substring(0, text.length() - 2).split("\n\n", -1)) {
      assertThat(event).startsWith("data: ").doesNotContain("\n");
      data.add(event.substring("data: ".length()));
    }
    return data;
  }
}

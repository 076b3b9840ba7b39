package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static dev.tollgate.protocol.openai.CodecFixtures.bytes;
import static dev.tollgate.protocol.openai.CodecFixtures.failure;
import static dev.tollgate.protocol.openai.CodecFixtures.json;
import static dev.tollgate.protocol.openai.CodecFixtures.jsonText;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiResponseCodecTest {

  @Test
  void reasoningContentBecomesThinkingBeforeTheText() {
    ChatResponse response = CODEC.decodeResponse(bytes("response-text.upstream.json"), CodecFixtures.ASKED);

    assertThat(response.choices()).containsExactly(new ChatResponse.Choice(0, List.of(
        new ContentPart.Thinking("The user greets me.", null, "openai-compatible", false),
        new ContentPart.Text("It is 18 °C.")), FinishReason.STOP));
    assertThat(response.id()).isEqualTo("chatcmpl-9x");
    assertThat(response.model()).isEqualTo("deepseek-reasoner");
    assertThat(response.created()).isEqualTo(1730000000L);
  }

  @Test
  void usageKeepsCachedAndReasoningTokens() {
    ChatResponse response = CODEC.decodeResponse(bytes("response-text.upstream.json"), CodecFixtures.ASKED);

    assertThat(response.usage()).isEqualTo(new TokenUsage(120, 64, 0, 9, 4));
  }

  @Test
  void toolCallsWithFinishStopBecomeToolCalls() {
    ChatResponse response = CODEC.decodeResponse(bytes("response-tool-calls.upstream.json"), CodecFixtures.ASKED);

    assertThat(response.choices().getFirst().parts()).containsExactly(
        new ContentPart.Text("Let me check."),
        new ContentPart.ToolCall("call_a1", "get_weather", "{\"city\":\"Paris\"}"),
        new ContentPart.ToolCall("call_b2", "get_time", ""));
    assertThat(response.choices().getFirst().finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "stop, STOP", "length, LENGTH", "tool_calls, TOOL_CALLS", "function_call, TOOL_CALLS",
      "content_filter, CONTENT_FILTER", "null, OTHER", "insufficient_system_resource, OTHER"})
  void finishReasonsMapToCanonical(String upstream, FinishReason expected) {
    String reason = upstream == null ? "null" : "\"" + upstream + "\"";
    String body = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":" + reason + "}]}";

    assertThat(CODEC.decodeResponse(body.getBytes(UTF_8), CodecFixtures.ASKED).choices().getFirst().finishReason()).isEqualTo(expected);
  }

  @Test
  void refusalBecomesText() {
    String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"No.\"},\"finish_reason\":\"stop\"}]}";

    assertThat(CODEC.decodeResponse(body.getBytes(UTF_8), CodecFixtures.ASKED).choices().getFirst().parts()).containsExactly(new ContentPart.Text("No."));
  }

  @Test
  void missingUsageIsNull() {
    String body = "{\"choices\":[]}";

    assertThat(CODEC.decodeResponse(body.getBytes(UTF_8), CodecFixtures.ASKED).usage()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"<html>502</html>", "[]", "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"})
  void garbageOrAnErrorBodyIsAnUpstreamError(String body) {
    GatewayError error = failure(() -> CODEC.decodeResponse(body.getBytes(UTF_8), CodecFixtures.ASKED));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
  }

  /** Upstream answer → canonical → client answer, compared with its golden file. */
  @ParameterizedTest
  @ValueSource(strings = {"response-text", "response-tool-calls"})
  void decodedAnswerEncodesToTheGoldenClientAnswer(String fixture) {
    byte[] client = CODEC.encodeResponse(CODEC.decodeResponse(bytes(fixture + ".upstream.json"), CodecFixtures.ASKED), "my-alias");

    assertThat(json(client)).isEqualTo(json(fixture + ".client.json"));
  }

  @Test
  void encodedAnswerIsReadByTheOfficialSdk() throws Exception {
    byte[] client = CODEC.encodeResponse(CODEC.decodeResponse(bytes("response-tool-calls.upstream.json"), CodecFixtures.ASKED), "my-alias");

    ChatCompletion completion = ObjectMappers.jsonMapper().readValue(client, ChatCompletion.class).validate();

    assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(completion.choices().getFirst().message().toolCalls().orElseThrow()).hasSize(2);
    assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(70);
  }

  @Test
  void foreignIdsArePrefixedAndMissingCreatedIsNow() {
    ChatResponse response = new ChatResponse("msg_01abc", "claude", 0,
        List.of(new ChatResponse.Choice(0, List.of(new ContentPart.Text("hi")), FinishReason.STOP_SEQUENCE)), null);

    var body = json(CODEC.encodeResponse(response, "alias"));

    assertThat(body.get("id").asText()).isEqualTo("chatcmpl-msg_01abc");
    assertThat(body.get("created").asLong()).isEqualTo(CodecFixtures.CLOCK.instant().getEpochSecond());
    assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void missingIdGetsAChatcmplId() {
    ChatResponse response = new ChatResponse(null, "g", 1, List.of(), null);

    assertThat(json(CODEC.encodeResponse(response, "alias")).get("id").asText()).startsWith("chatcmpl-").hasSizeGreaterThan(20);
  }

  @ParameterizedTest
  @CsvSource({"STOP, stop", "STOP_SEQUENCE, stop", "LENGTH, length", "TOOL_CALLS, tool_calls",
      "CONTENT_FILTER, content_filter", "PAUSE, stop", "OTHER, stop"})
  void canonicalFinishReasonsMapToOpenAi(FinishReason reason, String expected) {
    ChatResponse response = new ChatResponse("chatcmpl-1", "g", 1,
        List.of(new ChatResponse.Choice(0, List.of(new ContentPart.Text("x")), reason)), null);

    assertThat(json(CODEC.encodeResponse(response, "alias")).at("/choices/0/finish_reason").asText()).isEqualTo(expected);
  }

  @Test
  void thinkingIsNotSentToOpenAiClientsByDefault() {
    ChatResponse response = new ChatResponse("chatcmpl-1", "g", 1, List.of(new ChatResponse.Choice(0,
        List.of(new ContentPart.Thinking("secret", "sig", "anthropic", false), new ContentPart.Text("answer")), FinishReason.STOP)), null);

    var message = json(CODEC.encodeResponse(response, "alias")).at("/choices/0/message");

    assertThat(message).isEqualTo(jsonText("{\"role\":\"assistant\",\"content\":\"answer\",\"refusal\":null}"));
  }

  @Test
  void withReasoningTextThinkingBecomesReasoningContentAndRedactedThinkingStaysOut() {
    ChatResponse response = new ChatResponse("chatcmpl-1", "g", 1, List.of(new ChatResponse.Choice(0, List.of(
        new ContentPart.Thinking("First this. ", "sig", "anthropic", false),
        new ContentPart.Thinking(null, "ciphertext", "anthropic", true),
        new ContentPart.Thinking("Then that.", null, "gemini", false),
        new ContentPart.Text("answer")), FinishReason.STOP)), new TokenUsage(5, 0, 0, 9, 4));

    var body = json(CODEC.encodeResponse(response, "alias", new ChatCodec.AnswerOptions(true)));

    assertThat(body.at("/choices/0/message")).isEqualTo(jsonText(
        "{\"role\":\"assistant\",\"content\":\"answer\",\"reasoning_content\":\"First this. Then that.\",\"refusal\":null}"));
    assertThat(body.at("/usage/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(4);
  }

  @Test
  void withoutThinkingThereIsNoReasoningContentEvenWhenWanted() {
    ChatResponse response = new ChatResponse("chatcmpl-1", "g", 1, List.of(new ChatResponse.Choice(0,
        List.of(new ContentPart.Text("answer")), FinishReason.STOP)), null);

    var message = json(CODEC.encodeResponse(response, "alias", new ChatCodec.AnswerOptions(true))).at("/choices/0/message");

    assertThat(message.has("reasoning_content")).isFalse();
  }
}

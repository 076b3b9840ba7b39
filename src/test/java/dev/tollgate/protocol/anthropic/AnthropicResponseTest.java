package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.failure;
import static dev.tollgate.protocol.anthropic.Fixtures.tree;
import static dev.tollgate.protocol.anthropic.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicResponseTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  private static ChatResponse answer(List<ContentPart> parts, FinishReason reason, TokenUsage usage) {
    return new ChatResponse("msg_1", "upstream-model", 0, List.of(new ChatResponse.Choice(0, parts, reason)), usage);
  }

  @Test
  void decodedAnswerKeepsThinkingTextAndToolCallsInOrder() {
    ChatResponse response = codec.decodeResponse(Fixtures.bytes("response-tool-use.json"), Fixtures.ASKED);

    assertThat(response.id()).isEqualTo("msg_01XY");
    assertThat(response.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(response.choices()).singleElement().satisfies(choice -> {
      assertThat(choice.parts()).containsExactly(
          new ContentPart.Thinking("Need the weather.", "EqQBsig", "anthropic", false),
          new ContentPart.Text("Let me check."),
          new ContentPart.ToolCall("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"));
      assertThat(choice.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    });
  }

  @Test
  void decodedUsageCountsCacheReadsAndWritesInTheInputTotal() {
    ChatResponse response = codec.decodeResponse(Fixtures.bytes("response-tool-use.json"), Fixtures.ASKED);

    assertThat(response.usage()).isEqualTo(new TokenUsage(40 + 100 + 1800, 1800, 100, 31, 0));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, STOP", "stop_sequence, STOP_SEQUENCE", "max_tokens, LENGTH",
      "model_context_window_exceeded, LENGTH", "tool_use, TOOL_CALLS", "refusal, CONTENT_FILTER",
      "pause_turn, PAUSE", "something_new, OTHER"})
  void stopReasonMapsToFinishReason(String stopReason, FinishReason expected) {
    String body = "{\"id\":\"msg_1\",\"content\":[],\"stop_reason\":\"" + stopReason + "\",\"usage\":{}}";

    assertThat(codec.decodeResponse(utf8(body), Fixtures.ASKED).choices().getFirst().finishReason()).isEqualTo(expected);
  }

  @Test
  void upstreamErrorBodyBecomesAGatewayError() {
    var error = failure(() -> codec.decodeResponse(utf8("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), Fixtures.ASKED));

    assertThat(error.code()).isEqualTo(ErrorCode.NO_AVAILABLE_NODE);
    assertThat(error.message()).isEqualTo("Overloaded");
  }

  @Test
  void garbageAnswerIsAnUpstreamError() {
    assertThat(failure(() -> codec.decodeResponse(utf8("<html>"), Fixtures.ASKED)).code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
  }

  @Test
  void encodedAnswerMatchesTheGoldenMessage() {
    ChatResponse response = new ChatResponse("chatcmpl-123", "gpt-x", 1, List.of(new ChatResponse.Choice(0, List.of(
        new ContentPart.Thinking("Need the weather.", "R2Vt", "gemini", false),
        new ContentPart.ToolCall("call_abc", "get_weather", "{\"city\":\"Paris\"}"),
        new ContentPart.Text("Let me check.")), FinishReason.STOP)), new TokenUsage(1000, 60, 0, 31, 5));

    assertThat(tree(codec.encodeResponse(response, "my-alias"))).isEqualTo(Fixtures.json("response-encoded.json"));
  }

  @ParameterizedTest
  @CsvSource({
      "STOP, end_turn", "STOP_SEQUENCE, end_turn", "LENGTH, max_tokens", "TOOL_CALLS, tool_use",
      "CONTENT_FILTER, refusal", "PAUSE, pause_turn", "OTHER, end_turn"})
  void finishReasonMapsToStopReason(FinishReason reason, String expected) {
    JsonNode body = tree(codec.encodeResponse(answer(List.of(new ContentPart.Text("x")), reason, null), "m"));

    assertThat(body.get("stop_reason").asText()).isEqualTo(expected);
    assertThat(body.get("stop_sequence").isNull()).isTrue();
  }

  @Test
  void toolCallWithStopBecomesToolUse() {
    JsonNode body = tree(codec.encodeResponse(
        answer(List.of(new ContentPart.ToolCall("c", "f", "")), FinishReason.STOP, null), "m"));

    assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(body.get("content").get(0).get("input")).isEqualTo(tree("{}"));
  }

  @Test
  void uncachedInputIsNeverNegative() {
    JsonNode usage = tree(codec.encodeResponse(answer(List.of(), FinishReason.STOP, new TokenUsage(10, 8, 5, 3, 0)), "m")).get("usage");

    assertThat(usage).isEqualTo(tree(
        "{\"input_tokens\":0,\"output_tokens\":3,\"cache_read_input_tokens\":8,\"cache_creation_input_tokens\":5}"));
  }

  @Test
  void idWithoutMsgPrefixGetsOneAndMsgIdIsKept() {
    assertThat(tree(codec.encodeResponse(answer(List.of(), FinishReason.STOP, null), "m")).get("id").asText()).isEqualTo("msg_1");
    ChatResponse foreign = new ChatResponse("resp9", "x", 0, List.of(), null);
    assertThat(tree(codec.encodeResponse(foreign, "m")).get("id").asText()).isEqualTo("msg_resp9");
  }

  @Test
  void onlyTheFirstChoiceIsExpressed() {
    ChatResponse response = new ChatResponse("msg_1", "x", 0, List.of(
        new ChatResponse.Choice(0, List.of(new ContentPart.Text("first")), FinishReason.STOP),
        new ChatResponse.Choice(1, List.of(new ContentPart.Text("second")), FinishReason.STOP)), null);

    assertThat(tree(codec.encodeResponse(response, "m")).get("content")).isEqualTo(tree("[{\"type\":\"text\",\"text\":\"first\"}]"));
  }

  @Test
  void anthropicThinkingKeepsItsSignatureUnprefixed() {
    JsonNode content = tree(codec.encodeResponse(answer(List.of(
        new ContentPart.Thinking("t", "sig", "anthropic", false),
        new ContentPart.Thinking("", "ENC", "anthropic", true)), FinishReason.STOP, null), "m")).get("content");

    assertThat(content).isEqualTo(tree("""
        [{"type":"thinking","thinking":"t","signature":"sig"},{"type":"redacted_thinking","data":"ENC"}]"""));
  }
}

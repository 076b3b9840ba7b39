package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.Canonical.call;
import static dev.tollgate.protocol.gemini.Canonical.text;
import static dev.tollgate.protocol.gemini.GeminiFixtures.assertSameJson;
import static dev.tollgate.protocol.gemini.GeminiFixtures.bytes;
import static dev.tollgate.protocol.gemini.GeminiFixtures.canonical;
import static dev.tollgate.protocol.gemini.GeminiFixtures.failure;
import static dev.tollgate.protocol.gemini.GeminiFixtures.tree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiResponseCodingTest {

  private final GeminiCodec codec = new GeminiCodec(Clock.fixed(Instant.ofEpochSecond(1730000000), ZoneOffset.UTC));

  private ChatResponse decode(String json) {
    return codec.decodeResponse(json.getBytes(UTF_8), Canonical.ASKED);
  }

  // --- upstream answer → canonical ---

  @Test
  void textAndThoughtPartsDecodeWithUsageSplitIntoReasoningAndCache() {
    assertSameJson(canonical(codec.decodeResponse(bytes("response-text.gemini.json"), Canonical.ASKED)), "response-text.canonical.json");
  }

  @Test
  void functionCallsGetIdsFromTheResponseIdAndStopBecomesToolCalls() {
    assertSameJson(canonical(codec.decodeResponse(bytes("response-function-calls.gemini.json"), Canonical.ASKED)),
        "response-function-calls.canonical.json");
  }

  @Test
  void aBlockedPromptIsOneEmptyFilteredChoiceNotAnError() {
    assertSameJson(canonical(codec.decodeResponse(bytes("response-blocked-prompt.gemini.json"), Canonical.ASKED)),
        "response-blocked-prompt.canonical.json");
  }

  @ParameterizedTest
  @CsvSource({
      "STOP, STOP", "MAX_TOKENS, LENGTH", "SAFETY, CONTENT_FILTER", "RECITATION, CONTENT_FILTER",
      "BLOCKLIST, CONTENT_FILTER", "PROHIBITED_CONTENT, CONTENT_FILTER", "SPII, CONTENT_FILTER",
      "IMAGE_SAFETY, CONTENT_FILTER", "UNEXPECTED_TOOL_CALL, TOOL_CALLS", "LANGUAGE, OTHER", "OTHER, OTHER",
      "MALFORMED_FUNCTION_CALL, OTHER", "TOO_MANY_TOOL_CALLS, OTHER", "FINISH_REASON_UNSPECIFIED, OTHER",
      "SOMETHING_NEW, OTHER"})
  void finishReasonsMapToCanonical(String gemini, FinishReason expected) {
    ChatResponse response = decode("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"x\"}]},"
        + "\"finishReason\":\"" + gemini + "\",\"index\":0}]}");

    assertThat(response.choices().get(0).finishReason()).isEqualTo(expected);
  }

  @Test
  void everyCandidateBecomesAChoiceAtItsIndexWithIdsUniqueAcrossThem() {
    ChatResponse response = decode("{\"responseId\":\"r\",\"candidates\":["
        + "{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]},\"finishReason\":\"STOP\",\"index\":0},"
        + "{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\"}}]},\"finishReason\":\"STOP\",\"index\":1}]}");

    assertThat(response.choices()).extracting(ChatResponse.Choice::index).containsExactly(0, 1);
    assertThat(response.choices()).flatExtracting(ChatResponse.Choice::parts)
        .extracting(p -> ((ContentPart.ToolCall) p).id()).containsExactly("call_r_0", "call_r_1");
  }

  @Test
  void missingUsageCountsAreZeroAndToolUsePromptTokensCountAsInput() {
    ChatResponse response = decode("{\"candidates\":[],\"usageMetadata\":{\"promptTokenCount\":10,\"toolUsePromptTokenCount\":5}}");

    assertThat(response.usage()).isEqualTo(new TokenUsage(15, 0, 0, 0, 0));
  }

  @Test
  void anAnswerWithoutUsageHasNullUsage() {
    assertThat(decode("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\"}]}").usage()).isNull();
  }

  @Test
  void anErrorObjectInAnOkBodyIsAnUpstreamError() {
    GatewayError error = failure(() -> decode("{\"error\":{\"code\":500,\"message\":\"Internal error\",\"status\":\"INTERNAL\"}}"));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).contains("Internal error");
  }

  @Test
  void aBodyThatIsNotJsonIsAnUpstreamError() {
    assertThat(failure(() -> decode("<html>bad gateway</html>")).code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
  }

  // --- canonical → client answer ---

  @Test
  void anAnswerEncodesAsCandidatesWithUsageMetadataAndTheClientsModel() {
    ChatResponse response = new ChatResponse("msg_01XY", "claude-sonnet-4-5", 1, List.of(
        new ChatResponse.Choice(0, List.of(
            new ContentPart.Thinking("Weighing the options.", "anthropic-sig", "anthropic", false),
            text("Checking."),
            call("toolu_01A", "get_weather", "{\"city\":\"Paris\"}"),
            call("toolu_01B", "get_time", "")), FinishReason.TOOL_CALLS),
        new ChatResponse.Choice(1, List.of(text("It is sunny")), FinishReason.LENGTH)),
        new TokenUsage(1800, 1024, 0, 43, 12));

    assertSameJson(codec.encodeResponse(response, "my-alias"), "response-encoded.gemini.json");
  }

  @ParameterizedTest
  @CsvSource({"STOP, STOP", "STOP_SEQUENCE, STOP", "LENGTH, MAX_TOKENS", "TOOL_CALLS, STOP",
      "CONTENT_FILTER, SAFETY", "PAUSE, STOP", "OTHER, OTHER"})
  void finishReasonsMapToGemini(FinishReason reason, String expected) {
    ChatResponse response = new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(text("x")), reason)), null);

    JsonNode body = tree(codec.encodeResponse(response, "m"));

    assertThat(body.path("candidates").get(0).path("finishReason").asText()).isEqualTo(expected);
  }

  @Test
  void zeroReasoningAndCacheCountsAreOmittedFromUsageMetadata() {
    ChatResponse response = new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(text("x")), FinishReason.STOP)),
        new TokenUsage(10, 0, 0, 5, 0));

    JsonNode usage = tree(codec.encodeResponse(response, "m")).path("usageMetadata");

    assertThat(usage).isEqualTo(tree("{\"promptTokenCount\":10,\"candidatesTokenCount\":5,\"totalTokenCount\":15}"));
  }

  @Test
  void anEmptyFilteredChoiceHasNoContentAndSaysSafety() {
    ChatResponse response = new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(), FinishReason.CONTENT_FILTER)), null);

    JsonNode candidate = tree(codec.encodeResponse(response, "m")).path("candidates").get(0);

    assertThat(candidate).isEqualTo(tree("{\"finishReason\":\"SAFETY\",\"index\":0}"));
  }

  @Test
  void geminiThinkingKeepsItsSignatureAndABareSignatureRidesOnTheFollowingCall() {
    ChatResponse response = new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(
        new ContentPart.Thinking("hmm", "s1", "gemini", false),
        new ContentPart.Thinking("", "s2", "gemini", false),
        call("c", "f", "{}")), FinishReason.TOOL_CALLS)), null);

    JsonNode parts = tree(codec.encodeResponse(response, "m")).path("candidates").get(0).path("content").path("parts");

    assertThat(parts).isEqualTo(tree("""
        [{"text":"hmm","thought":true,"thoughtSignature":"s1"},
         {"functionCall":{"id":"c","name":"f","args":{}},"thoughtSignature":"s2"}]"""));
  }

  @Test
  void aCallKeepsItsThoughtSignatureOnItsFunctionCallPart() {
    ChatResponse response = new ChatResponse("r", "m", 1, List.of(new ChatResponse.Choice(0, List.of(
        new ContentPart.ToolCall("c", "f", "{}", "s1")), FinishReason.TOOL_CALLS)), null);

    JsonNode parts = tree(codec.encodeResponse(response, "m")).path("candidates").get(0).path("content").path("parts");

    assertThat(parts).isEqualTo(tree("[{\"functionCall\":{\"id\":\"c\",\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"s1\"}]"));
  }

  @Test
  void aDecodedGeminiAnswerEncodesBackToTheSameShape() {
    ChatResponse decoded = codec.decodeResponse(bytes("response-encoded.gemini.json"), Canonical.ASKED);

    assertSameJson(codec.encodeResponse(decoded, "my-alias"), "response-encoded.gemini.json");
  }
}

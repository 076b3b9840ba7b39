package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static dev.tollgate.protocol.openai.CodecFixtures.canonical;
import static dev.tollgate.protocol.openai.CodecFixtures.decodeFixture;
import static dev.tollgate.protocol.openai.CodecFixtures.failure;
import static dev.tollgate.protocol.openai.CodecFixtures.json;
import static dev.tollgate.protocol.openai.CodecFixtures.jsonText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.ContentPart.Text;
import dev.tollgate.protocol.canonical.ContentPart.ToolCall;
import dev.tollgate.protocol.canonical.ContentPart.ToolResult;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OpenAiRequestEncoderTest {

  /** Client request → canonical → upstream request, compared with its golden file. */
  @ParameterizedTest
  @ValueSource(strings = {"system-hoisting", "content-forms", "tool-round-trip", "sampling", "nulls-and-empties"})
  void decodedClientRequestEncodesToTheGoldenUpstreamRequest(String fixture) {
    byte[] upstream = CODEC.encodeRequest(decodeFixture(fixture + ".client.json"), "up-model").body();

    assertThat(json(upstream)).isEqualTo(json(fixture + ".upstream.json"));
  }

  @Test
  void aSingleTextPartIsSentAsAString() {
    JsonNode body = encode(canonical(List.of(Message.text(Role.USER, "Hi"))));

    assertThat(body.at("/messages/0/content").asText()).isEqualTo("Hi");
  }

  @Test
  void systemTextsAreJoinedIntoOneLeadingSystemMessage() {
    ChatRequest request = with(canonical(List.of(Message.text(Role.USER, "Hi"))), List.of(new Text("A"), new Text("B")));

    JsonNode messages = encode(request).get("messages");
    assertThat(messages.get(0)).isEqualTo(jsonText("{\"role\":\"system\",\"content\":\"A\\n\\nB\"}"));
    assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
  }

  @Test
  void toolResultsComeFirstAsToolMessagesAndOtherUserContentFollows() {
    ChatRequest request = canonical(List.of(
        Message.text(Role.USER, "q"),
        new Message(Role.ASSISTANT, List.of(new ToolCall("toolu_1", "f", "{\"a\":1}"))),
        new Message(Role.USER, List.of(
            new Text("and now?"),
            new ToolResult("toolu_1", "f", List.of(new Text("part one"), new Text("part two")), true)))));

    JsonNode messages = encode(request).get("messages");
    assertThat(messages.get(2)).isEqualTo(jsonText(
        "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"Error: part one\\n\\npart two\"}"));
    assertThat(messages.get(3)).isEqualTo(jsonText("{\"role\":\"user\",\"content\":\"and now?\"}"));
  }

  @Test
  void imagesInsideAToolResultAreRejected() {
    ChatRequest request = canonical(List.of(
        new Message(Role.ASSISTANT, List.of(new ToolCall("c", "f", "{}"))),
        new Message(Role.TOOL, List.of(new ToolResult("c", "f", List.of(ContentPart.Image.remote("https://x/y.png")), false)))));

    GatewayError error = failure(() -> CODEC.encodeRequest(request, "up"));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("messages[1]");
  }

  @Test
  void thinkingPartsAreDroppedAndAnAssistantWithOnlyCallsHasNullContent() {
    ChatRequest request = canonical(List.of(
        Message.text(Role.USER, "q"),
        new Message(Role.ASSISTANT, List.of(
            new ContentPart.Thinking("hmm", "sig", "anthropic", false),
            new ToolCall("c", "f", "")))));

    JsonNode assistant = encode(request).at("/messages/1");
    assertThat(assistant).isEqualTo(jsonText("{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}"));
  }

  @Test
  void inlineImagesBecomeDataUrls() {
    ChatRequest request = canonical(List.of(new Message(Role.USER, List.of(ContentPart.Image.inline("image/jpeg", "/9j/")))));

    assertThat(encode(request).at("/messages/0/content/0/image_url/url").asText()).isEqualTo("data:image/jpeg;base64,/9j/");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "auto     | \"auto\"",
      "none     | \"none\"",
      "required | \"required\"",
      "specific | {\"type\":\"function\",\"function\":{\"name\":\"b\"}}"})
  void toolChoiceFormsAreEncoded(String form, String expected) {
    ToolChoice choice = switch (form) {
      case "auto" -> new ToolChoice.Auto();
      case "none" -> new ToolChoice.None();
      case "required" -> new ToolChoice.Required(List.of());
      default -> new ToolChoice.Specific("b");
    };

    JsonNode body = encode(withTools(choice));

    assertThat(body.get("tool_choice")).isEqualTo(jsonText(expected));
    assertThat(body.get("tools")).hasSize(3);
  }

  @Test
  void requiredWithAllowedNamesSendsRequiredAndOnlyThoseTools() {
    JsonNode body = encode(withTools(new ToolChoice.Required(List.of("a", "c"))));

    assertThat(body.get("tool_choice").asText()).isEqualTo("required");
    assertThat(body.get("tools").findValuesAsText("name")).containsExactly("a", "c");
  }

  @Test
  void toolChoiceAndParallelFlagAreOmittedWithoutTools() {
    ChatRequest base = canonical(List.of(Message.text(Role.USER, "Hi")));
    ChatRequest request = new ChatRequest(base.model(), base.system(), base.messages(), List.of(), new ToolChoice.Auto(), false,
        null, null, null, null, List.of(), null, null, null, null, null, null, null, false, List.of());

    JsonNode body = encode(request);

    assertThat(body.has("tool_choice")).isFalse();
    assertThat(body.has("parallel_tool_calls")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "omit", value = {
      "1024  | low", "2048 | low", "2049 | medium", "8192 | medium", "8193 | high", "32000 | high", "0 | omit", "-1 | medium"})
  void thinkingBudgetBecomesAnEffort(int budget, String effort) {
    ChatRequest request = withReasoning(new Reasoning(null, budget, true));

    JsonNode body = encode(request);

    assertThat(body.has("reasoning_effort") ? body.get("reasoning_effort").asText() : null).isEqualTo(effort);
  }

  @Test
  void topKIsDropped() {
    ChatRequest base = canonical(List.of(Message.text(Role.USER, "Hi")));
    ChatRequest request = new ChatRequest(base.model(), List.of(), base.messages(), List.of(), null, null, 50, null, null, 40,
        List.of(), null, null, null, null, null, null, null, true, List.of());

    JsonNode body = encode(request);

    assertThat(body.has("top_k")).isFalse();
    assertThat(body.get("max_tokens").asInt()).isEqualTo(50);
  }

  @Test
  void streamsAlwaysAskForUsage() {
    ChatRequest base = canonical(List.of(Message.text(Role.USER, "Hi")));
    ChatRequest request = new ChatRequest(base.model(), List.of(), base.messages(), List.of(), null, null, null, null, null, null,
        List.of(), null, null, null, null, null, null, null, true, List.of());

    JsonNode body = encode(request);

    assertThat(body.get("stream").asBoolean()).isTrue();
    assertThat(body.get("stream_options")).isEqualTo(jsonText("{\"include_usage\":true}"));
  }

  private static JsonNode encode(ChatRequest request) {
    return json(CODEC.encodeRequest(request, "up-model").body());
  }

  private static ChatRequest with(ChatRequest r, List<Text> system) {
    return new ChatRequest(r.model(), system, r.messages(), r.tools(), r.toolChoice(), r.parallelToolCalls(), r.maxOutputTokens(),
        r.temperature(), r.topP(), r.topK(), r.stop(), r.presencePenalty(), r.frequencyPenalty(), r.seed(), r.n(),
        r.responseFormat(), r.reasoning(), r.user(), r.stream(), List.of());
  }

  private static ChatRequest withTools(ToolChoice choice) {
    List<Tool> tools = List.of(new Tool("a", null, null, null), new Tool("b", "B", null, null), new Tool("c", null, null, false));
    return new ChatRequest("m", List.of(), List.of(Message.text(Role.USER, "Hi")), tools, choice, null, null, null, null, null,
        List.of(), null, null, null, null, null, null, null, false, List.of());
  }

  private static ChatRequest withReasoning(Reasoning reasoning) {
    return new ChatRequest("m", List.of(), List.of(Message.text(Role.USER, "Hi")), List.of(), null, null, null, null, null, null,
        List.of(), null, null, null, null, null, reasoning, null, false, List.of());
  }
}

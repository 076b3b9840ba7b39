package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.failure;
import static dev.tollgate.protocol.anthropic.Fixtures.request;
import static dev.tollgate.protocol.anthropic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicRequestEncoderTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  private static final Message HELLO = Message.text(Role.USER, "hello");

  private JsonNode encode(ChatRequest request) {
    return tree(codec.encodeRequest(request, "claude-x").body());
  }

  private JsonNode encodeMessages(Message... messages) {
    return encode(request(List.of(messages))).get("messages");
  }

  private static ChatRequest withSettings(
      List<Tool> tools, ToolChoice choice, Boolean parallel, Integer maxTokens, Double temperature, Integer topK,
      List<String> stop, Integer n, ResponseFormat format, Reasoning reasoning, String user) {
    return new ChatRequest("client-model", List.of(), List.of(HELLO), tools, choice, parallel, maxTokens, temperature, 0.9,
        topK, stop, 0.5, 0.5, 7L, n, format, reasoning, user, false, List.of());
  }

  private static ChatRequest reasoning(Reasoning reasoning, Integer maxTokens) {
    return withSettings(List.of(), null, null, maxTokens, 0.7, 10, List.of(), null, null, reasoning, null);
  }

  private static final Tool WEATHER = new Tool("get_weather", null, null, null);

  private static ChatRequest toolChoice(ToolChoice choice, Boolean parallel) {
    return withSettings(List.of(WEATHER, new Tool("get_time", "t", null, true)), choice, parallel, null, null, null,
        List.of(), null, null, null, null);
  }

  @Test
  void consecutiveSameRoleTurnsMergeWithToolResultsFirst() {
    JsonNode messages = encodeMessages(
        HELLO,
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("call_1", "f", "{}"))),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call_1", "f", List.of(new ContentPart.Text("ok")), false))),
        Message.text(Role.USER, "and then?"));

    assertThat(messages).isEqualTo(tree("""
        [{"role":"user","content":[{"type":"text","text":"hello"}]},
         {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"f","input":{}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"ok"},
                                   {"type":"text","text":"and then?"}]}]"""));
  }

  @Test
  void toolResultsMovedBeforeTextThatPrecededThemInTheMergedTurn() {
    JsonNode messages = encodeMessages(
        HELLO,
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("call_1", "f", "{}"))),
        Message.text(Role.USER, "note first"),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call_1", "f", List.of(new ContentPart.Text("ok")), false))));

    assertThat(messages.get(2).get("content").get(0).get("type").asText()).isEqualTo("tool_result");
    assertThat(messages.get(2).get("content").get(1).get("text").asText()).isEqualTo("note first");
  }

  @Test
  void historyStartingWithAssistantGetsAFillerUserTurn() {
    JsonNode messages = encodeMessages(Message.text(Role.ASSISTANT, "Hi, how can I help?"), HELLO);

    assertThat(messages.get(0)).isEqualTo(tree("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\".\"}]}"));
    assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
  }

  @Test
  void emptyTextIsDroppedAndItsEmptyTurnWithIt() {
    JsonNode messages = encodeMessages(HELLO, Message.text(Role.ASSISTANT, ""), Message.text(Role.USER, "again"));

    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("content")).hasSize(2);
  }

  @Test
  void requestWithNoContentAtAllIsRejected() {
    assertThat(failure(() -> encodeMessages(Message.text(Role.USER, ""))).param()).isEqualTo("messages");
  }

  @Test
  void jpgIsNormalisedToJpegAndBase64urlToStandard() {
    JsonNode messages = encodeMessages(new Message(Role.USER, List.of(ContentPart.Image.inline("image/JPG", "ab-_\ncd"))));

    assertThat(messages.get(0).get("content").get(0)).isEqualTo(tree(
        "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/jpeg\",\"data\":\"ab+/cd==\"}}"));
  }

  @Test
  void dataUrlImageBecomesABase64Source() {
    JsonNode messages = encodeMessages(new Message(Role.USER, List.of(ContentPart.Image.remote("data:image/png;base64,AAAA"))));

    assertThat(messages.get(0).get("content").get(0).get("source")).isEqualTo(tree(
        "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}"));
  }

  @Test
  void httpImageBecomesAUrlSource() {
    JsonNode messages = encodeMessages(new Message(Role.USER, List.of(ContentPart.Image.remote("https://x/cat.png"))));

    assertThat(messages.get(0).get("content").get(0)).isEqualTo(tree(
        "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/cat.png\"}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"image/bmp", "image/tiff", "image/svg+xml"})
  void unsupportedImageTypesAreRejectedNamingThePart(String mime) {
    GatewayError error = failure(() -> encodeMessages(
        new Message(Role.USER, List.of(new ContentPart.Text("look"), ContentPart.Image.inline(mime, "AAAA")))));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("messages.0.content.1");
    assertThat(error.message()).contains(mime);
  }

  @Test
  void audioIsRejectedNamingThePart() {
    GatewayError error = failure(() -> encodeMessages(new Message(Role.USER, List.of(new ContentPart.Audio("wav", "AAAA")))));

    assertThat(error.param()).isEqualTo("messages.0.content.0");
  }

  @Test
  void pdfFileBecomesADocumentBlock() {
    JsonNode messages = encodeMessages(new Message(Role.USER, List.of(new ContentPart.File("application/pdf", "JVBE", null))));

    assertThat(messages.get(0).get("content").get(0)).isEqualTo(tree(
        "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBE\"}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{\"city\": \"Par", "[1,2]", "null"})
  void unusableToolArgumentsBecomeAnEmptyInput(String arguments) {
    JsonNode messages = encodeMessages(HELLO, new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("c1", "f", arguments))));

    assertThat(messages.get(1).get("content").get(0).get("input")).isEqualTo(tree("{}"));
  }

  @Test
  void idsOutsideAnthropicsAlphabetMapTheSameForCallAndResult() {
    JsonNode messages = encodeMessages(
        HELLO,
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("call.1:x", "f", "{}"))),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call.1:x", "f", List.of(new ContentPart.Text("ok")), false))));

    String useId = messages.get(1).get("content").get(0).get("id").asText();
    assertThat(useId).matches("^[A-Za-z0-9_-]+$").startsWith("call_1_x_");
    assertThat(messages.get(2).get("content").get(0).get("tool_use_id").asText()).isEqualTo(useId);
  }

  @Test
  void idsDifferingOnlyInReplacedCharactersStayDistinct() {
    assertThat(AnthropicToolIds.forAnthropic("a.b")).isNotEqualTo(AnthropicToolIds.forAnthropic("a:b"));
    assertThat(AnthropicToolIds.forAnthropic("toolu_01-A")).isEqualTo("toolu_01-A");
  }

  @Test
  void toolResultWithBlocksKeepsTextAndImagesAndErrorFlag() {
    JsonNode messages = encodeMessages(
        HELLO,
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("c1", "f", "{}"))),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("c1", "f",
            List.of(new ContentPart.Text("see"), ContentPart.Image.inline("image/png", "AAAA")), true))));

    assertThat(messages.get(2).get("content").get(0)).isEqualTo(tree("""
        {"type":"tool_result","tool_use_id":"c1","is_error":true,"content":[
          {"type":"text","text":"see"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]}"""));
  }

  @Test
  void toolResultMatchingNoCallIsRejected() {
    GatewayError error = failure(() -> encodeMessages(
        HELLO,
        Message.text(Role.ASSISTANT, "hm"),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("ghost", null, List.of(new ContentPart.Text("x")), false)))));

    assertThat(error.param()).isEqualTo("messages");
    assertThat(error.message()).contains("ghost");
  }

  @Test
  void callWithoutResultInTheNextTurnIsRejectedNamingTheId() {
    GatewayError error = failure(() -> encodeMessages(
        HELLO,
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("c1", "f", "{}"), new ContentPart.ToolCall("c2", "g", "{}"))),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("c1", "f", List.of(new ContentPart.Text("x")), false)))));

    assertThat(error.message()).contains("c2");
  }

  @Test
  void foreignThinkingIsStrippedAndAnthropicThinkingKept() {
    JsonNode messages = encodeMessages(HELLO, new Message(Role.ASSISTANT, List.of(
        new ContentPart.Thinking("gemini thought", "gsig", "gemini", false),
        new ContentPart.Thinking("claude thought", "csig", "anthropic", false),
        new ContentPart.Text("answer"))));

    assertThat(messages.get(1).get("content")).isEqualTo(tree("""
        [{"type":"thinking","thinking":"claude thought","signature":"csig"},{"type":"text","text":"answer"}]"""));
  }

  @Test
  void maxTokensDefaultsTo4096() {
    assertThat(encode(request(List.of(HELLO))).get("max_tokens").asInt()).isEqualTo(4096);
  }

  @Test
  void temperatureIsClampedToOneAndTopKKept() {
    JsonNode body = encode(withSettings(List.of(), null, null, 100, 1.7, 5, List.of(), null, null, null, null));

    assertThat(body.get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(body.get("top_k").asInt()).isEqualTo(5);
    assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.get("max_tokens").asInt()).isEqualTo(100);
  }

  @Test
  void penaltiesAndSeedAreDropped() {
    JsonNode body = encode(withSettings(List.of(), null, null, null, null, null, List.of(), null, null, null, null));

    assertThat(body.has("presence_penalty")).isFalse();
    assertThat(body.has("frequency_penalty")).isFalse();
    assertThat(body.has("seed")).isFalse();
  }

  @Test
  void whitespaceOnlyStopSequencesAreDropped() {
    JsonNode body = encode(withSettings(List.of(), null, null, null, null, null, List.of("\n", " ", "END"), null, null, null, null));

    assertThat(body.get("stop_sequences")).isEqualTo(tree("[\"END\"]"));
  }

  @Test
  void moreThanOneChoiceIsRejectedNamingN() {
    GatewayError error = failure(() -> encode(withSettings(List.of(), null, null, null, null, null, List.of(), 2, null, null, null)));

    assertThat(error.param()).isEqualTo("n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "AUTO     |       | {\"type\":\"auto\"}",
      "AUTO     | false | {\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
      "NONE     | false | {\"type\":\"none\"}",
      "REQUIRED |       | {\"type\":\"any\"}",
      "SPECIFIC | false | {\"type\":\"tool\",\"name\":\"get_weather\",\"disable_parallel_tool_use\":true}",
      "UNSET    | false | {\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
  })
  void toolChoiceMapsToAnthropic(String kind, Boolean parallel, String expected) {
    ToolChoice choice = switch (kind) {
      case "AUTO" -> new ToolChoice.Auto();
      case "NONE" -> new ToolChoice.None();
      case "REQUIRED" -> new ToolChoice.Required(List.of());
      case "SPECIFIC" -> new ToolChoice.Specific("get_weather");
      default -> null;
    };

    assertThat(encode(toolChoice(choice, parallel)).get("tool_choice")).isEqualTo(tree(expected));
  }

  @Test
  void noToolChoiceIsSentWithoutTools() {
    JsonNode body = encode(withSettings(List.of(), new ToolChoice.Auto(), false, null, null, null, List.of(), null, null, null, null));

    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("tool_choice")).isFalse();
  }

  @Test
  void requiredChoiceWithAllowedNamesNarrowsTheToolList() {
    JsonNode body = encode(toolChoice(new ToolChoice.Required(List.of("get_time")), null));

    assertThat(body.get("tools")).hasSize(1);
    assertThat(body.get("tools").get(0).get("name").asText()).isEqualTo("get_time");
  }

  @Test
  void toolWithoutSchemaGetsAnEmptyObjectSchemaAndStrictIsDropped() {
    JsonNode tools = encode(toolChoice(null, null)).get("tools");

    assertThat(tools).isEqualTo(tree("""
        [{"name":"get_weather","input_schema":{"type":"object","properties":{}}},
         {"name":"get_time","description":"t","input_schema":{"type":"object","properties":{}}}]"""));
  }

  @ParameterizedTest
  @CsvSource({"low, 1024", "medium, 4096", "high, 16384"})
  void reasoningEffortBecomesAThinkingBudget(String effort, int budget) {
    JsonNode body = encode(reasoning(new Reasoning(effort, null, false), 32000));

    assertThat(body.get("thinking")).isEqualTo(tree("{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "minimal"})
  void noneAndMinimalEffortLeaveThinkingOff(String effort) {
    JsonNode body = encode(reasoning(new Reasoning(effort, null, false), null));

    assertThat(body.has("thinking")).isFalse();
    assertThat(body.get("temperature").asDouble()).isEqualTo(0.7);
  }

  @Test
  void maxTokensIsRaisedAboveTheThinkingBudget() {
    JsonNode body = encode(reasoning(new Reasoning("high", null, false), 1000));

    assertThat(body.get("max_tokens").asInt()).isEqualTo(16384 + 1024);
  }

  @Test
  void thinkingLeavesOutTemperatureAndTopK() {
    JsonNode body = encode(reasoning(new Reasoning(null, 2000, true), 8000));

    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_k")).isFalse();
    assertThat(body.get("thinking").get("budget_tokens").asInt()).isEqualTo(2000);
  }

  @Test
  void forcedToolWithThinkingIsRejected() {
    ChatRequest request = withSettings(List.of(WEATHER), new ToolChoice.Specific("get_weather"), null, null, null, null,
        List.of(), null, null, new Reasoning("low", null, false), null);

    assertThat(failure(() -> encode(request)).param()).isEqualTo("tool_choice");
  }

  @Test
  void jsonObjectFormatAppendsASystemInstruction() {
    ChatRequest request = new ChatRequest("m", List.of(new ContentPart.Text("Be nice.")), List.of(HELLO), List.of(), null, null,
        null, null, null, null, List.of(), null, null, null, null, new ResponseFormat.JsonObject(), null, null, false, List.of());

    assertThat(encode(request).get("system")).isEqualTo(tree("""
        [{"type":"text","text":"Be nice."},{"type":"text","text":"Respond with a single JSON object only."}]"""));
  }

  @Test
  void emailLikeUserIdIsHashed() {
    JsonNode body = encode(withSettings(List.of(), null, null, null, null, null, List.of(), null, null, null, "ann@example.com"));

    assertThat(body.get("metadata").get("user_id").asText()).startsWith("sha256_").doesNotContain("ann");
  }

  @Test
  void streamFlagIsSentOnlyWhenStreaming() {
    ChatRequest streaming = new ChatRequest("m", List.of(), List.of(HELLO), List.of(), null, null, null, null, null, null,
        List.of(), null, null, null, null, null, null, null, true, List.of());

    assertThat(encode(streaming).get("stream").asBoolean()).isTrue();
    assertThat(encode(request(List.of(HELLO))).has("stream")).isFalse();
  }

  @Test
  void upstreamModelNameIsUsed() {
    assertThat(encode(request(List.of(HELLO))).get("model").asText()).isEqualTo("claude-x");
  }
}

package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.Canonical.assistant;
import static dev.tollgate.protocol.gemini.Canonical.call;
import static dev.tollgate.protocol.gemini.Canonical.request;
import static dev.tollgate.protocol.gemini.Canonical.result;
import static dev.tollgate.protocol.gemini.Canonical.text;
import static dev.tollgate.protocol.gemini.Canonical.tool;
import static dev.tollgate.protocol.gemini.Canonical.user;
import static dev.tollgate.protocol.gemini.GeminiFixtures.assertSameJson;
import static dev.tollgate.protocol.gemini.GeminiFixtures.bytes;
import static dev.tollgate.protocol.gemini.GeminiFixtures.failure;
import static dev.tollgate.protocol.gemini.GeminiFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec.RequestTarget;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiRequestEncodingTest {

  private final GeminiCodec codec = new GeminiCodec();

  private JsonNode encode(ChatRequest request) {
    return tree(codec.encodeRequest(request, "gemini-2.5-flash").body());
  }

  private static Tool function(String name, String schema) {
    return new Tool(name, null, schema == null ? null : tree(schema), null);
  }

  @Test
  void conversationWithToolRoundTripEncodesAsMergedTurnsWithResultsInCallOrder() {
    Canonical.Builder request = Canonical.builder(List.of(
        user(text("Weather in Paris and Rome?")),
        user(text("")),
        user(text("Also the time.")),
        assistant(
            text("Let me check."),
            new ContentPart.Thinking("hmm", "anthropic-signature", "anthropic", false),
            call("call_a", "get_weather", "{\"city\":\"Paris\",\"precise\":1.0}"),
            call("call_b", "get_weather", ""),
            call("call_c", "get_time", "{\"trunc")),
        tool(new ContentPart.ToolResult("call_c", null, List.of(text("clock unavailable")), true)),
        tool(result("call_a", "{\"temp_c\":18}")),
        tool(result("call_b", "sunny, 24 C")),
        user(text("Answer in French."))));
    request.system = List.of(text("Answer briefly."), text(""), text("Use metric units."));
    request.parallelToolCalls = false;
    request.user = "end-user-1";

    assertSameJson(encode(request.build()), "encode-conversation.gemini.json");
  }

  @Test
  void inlineImagesAudioFilesAndGoogleUrisEncodeAsInlineOrFileData() {
    ChatRequest request = request(List.of(user(
        text("What is in these?"),
        ContentPart.Image.inline("image/jpg", "/9j/4AAQ"),
        ContentPart.Image.remote("data:image/png;base64,iVBO\nRw0KGgo="),
        ContentPart.Image.remote("gs://bucket/cat.png"),
        ContentPart.Image.remote("https://generativelanguage.googleapis.com/v1beta/files/abc123"),
        new ContentPart.Audio("mp3", "SUQzBAA="),
        new ContentPart.Audio("wav", "UklGRg=="),
        new ContentPart.File("application/pdf", "JVBERi0x", "a.pdf"))));

    assertSameJson(encode(request), "encode-media.gemini.json");
  }

  @Test
  void toolsGoIntoOneDeclarationListWithSchemasCleanedForGemini() {
    Canonical.Builder request = Canonical.builder(List.of(user(text("Weather?"))));
    request.tools = List.of(
        new Tool("get_weather", "Current weather", tree("""
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
             "properties": {
               "city": {"type": "string", "description": "City name", "default": "Paris"},
               "unit": {"type": "string", "enum": ["c", "f"]},
               "when": {"type": "string", "format": "date-time"},
               "email": {"type": "string", "format": "email"},
               "note": {"type": ["string", "null"]},
               "days": {"type": "array", "items": {"type": "integer", "format": "int32"}, "maxItems": 7},
               "mode": {"type": "string", "const": "fast"}
             },
             "required": ["city"], "strict": true}"""), true),
        function("ping", "{\"type\":\"object\",\"properties\":{}}"),
        new Tool("now", "Current time", null, null));
    request.toolChoice = new ToolChoice.Specific("get_weather");

    assertSameJson(encode(request.build()), "encode-tools.gemini.json");
  }

  @Test
  void generationSettingsEncodeIntoGenerationConfig() {
    Canonical.Builder request = Canonical.builder(List.of(user(text("Three colours as JSON."))));
    request.temperature = 0.7;
    request.topP = 0.95;
    request.topK = 40;
    request.maxOutputTokens = 1024;
    request.stop = List.of("END", "", "STOP");
    request.n = 2;
    request.presencePenalty = 0.5;
    request.frequencyPenalty = -0.25;
    request.seed = 42L;
    request.responseFormat = new ResponseFormat.JsonSchema("colours", tree("""
        {"type":"object","properties":{"colours":{"type":"array","items":{"type":"string"}}},
         "required":["colours"],"additionalProperties":false}"""), true);
    request.reasoning = new Reasoning("high", null, true);

    assertSameJson(encode(request.build()), "encode-generation-config.gemini.json");
  }

  @Test
  void aRequestWithoutSettingsHasNoGenerationConfigToolsOrSystem() {
    JsonNode body = encode(request(List.of(user(text("hi")))));

    assertThat(body.properties()).extracting(e -> e.getKey()).containsExactly("contents");
  }

  @Test
  void jsonObjectFormatSetsOnlyTheMimeType() {
    Canonical.Builder request = Canonical.builder(List.of(user(text("hi"))));
    request.responseFormat = new ResponseFormat.JsonObject();

    assertThat(encode(request.build()).path("generationConfig").toString())
        .isEqualTo("{\"responseMimeType\":\"application/json\"}");
  }

  @ParameterizedTest
  @CsvSource({"none, 0", "minimal, 0", "low, 1024", "medium, 4096", "high, 16384"})
  void reasoningEffortMapsToAThinkingBudget(String effort, int budget) {
    Canonical.Builder request = Canonical.builder(List.of(user(text("hi"))));
    request.reasoning = new Reasoning(effort, null, false);

    assertThat(encode(request.build()).path("generationConfig").path("thinkingConfig").path("thinkingBudget").intValue())
        .isEqualTo(budget);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "auto      | {\"mode\":\"AUTO\"}",
      "none      | {\"mode\":\"NONE\"}",
      "required  | {\"mode\":\"ANY\"}",
      "required2 | {\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\",\"g\"]}",
      "specific  | {\"mode\":\"ANY\",\"allowedFunctionNames\":[\"g\"]}"})
  void toolChoiceMapsToFunctionCallingConfig(String choice, String expected) {
    Canonical.Builder request = Canonical.builder(List.of(user(text("hi"))));
    request.tools = List.of(function("f", null), function("g", null));
    request.toolChoice = switch (choice) {
      case "auto" -> new ToolChoice.Auto();
      case "none" -> new ToolChoice.None();
      case "required" -> new ToolChoice.Required(List.of());
      case "required2" -> new ToolChoice.Required(List.of("f", "g"));
      default -> new ToolChoice.Specific("g");
    };

    assertThat(encode(request.build()).path("toolConfig").path("functionCallingConfig")).isEqualTo(tree(expected));
  }

  @Test
  void toolChoiceWithoutToolsIsDropped() {
    Canonical.Builder request = Canonical.builder(List.of(user(text("hi"))));
    request.toolChoice = new ToolChoice.Required(List.of());

    JsonNode body = encode(request.build());

    assertThat(body.has("tools")).isFalse();
    assertThat(body.has("toolConfig")).isFalse();
  }

  @Test
  void geminiThinkingGoesBackAsThoughtPartsAndABareSignatureRidesOnTheNextPart() {
    ChatRequest request = request(List.of(
        user(text("Weather?")),
        assistant(
            new ContentPart.Thinking("Need the weather.", "sig-1", "gemini", false),
            new ContentPart.Thinking("", "sig-2", "gemini", false),
            call("call_0", "get_weather", "{}")),
        tool(result("call_0", "{}"))));

    JsonNode parts = encode(request).path("contents").get(1).path("parts");

    assertThat(parts).isEqualTo(tree("""
        [{"text":"Need the weather.","thought":true,"thoughtSignature":"sig-1"},
         {"functionCall":{"id":"call_0","name":"get_weather","args":{}},"thoughtSignature":"sig-2"}]"""));
  }

  @Test
  void aCallsOwnThoughtSignatureGoesOnItsFunctionCallPartAndWinsOverABareOne() {
    ChatRequest request = request(List.of(
        user(text("Weather?")),
        assistant(
            new ContentPart.ToolCall("call_0", "get_weather", "{}", "own-0"),
            new ContentPart.Thinking("", "bare", "gemini", false),
            new ContentPart.ToolCall("call_1", "get_weather", "{}", "own-1"),
            call("call_2", "get_time", "{}")),
        tool(result("call_0", "{}"), result("call_1", "{}"), result("call_2", "{}"))));

    JsonNode parts = encode(request).path("contents").get(1).path("parts");

    assertThat(parts).isEqualTo(tree("""
        [{"functionCall":{"id":"call_0","name":"get_weather","args":{}},"thoughtSignature":"own-0"},
         {"functionCall":{"id":"call_1","name":"get_weather","args":{}},"thoughtSignature":"own-1"},
         {"functionCall":{"id":"call_2","name":"get_time","args":{}}}]"""));
  }

  @Test
  void imagesInsideAToolResultFollowTheFunctionResponseInTheSameTurn() {
    ChatRequest request = request(List.of(
        user(text("Draw")),
        assistant(call("c1", "render", "{}")),
        tool(new ContentPart.ToolResult("c1", null,
            List.of(text("done"), ContentPart.Image.inline("image/png", "AA==")), false))));

    JsonNode parts = encode(request).path("contents").get(2).path("parts");

    assertThat(parts).isEqualTo(tree("""
        [{"functionResponse":{"id":"c1","name":"render","response":{"content":"done"}}},
         {"inlineData":{"mimeType":"image/png","data":"AA=="}}]"""));
  }

  @Test
  void aDecodedGeminiRequestEncodesBackToTheSameBody() {
    ChatRequest decoded = codec.decodeRequest(bytes("encode-conversation.gemini.json"),
        new RequestTarget("gemini-2.5-flash", false));

    assertSameJson(codec.encodeRequest(decoded, "gemini-2.5-flash").body(), "encode-conversation.gemini.json");
  }

  // --- what cannot be encoded ---

  @Test
  void aRemoteHttpImageLeftUnfetchedIsRejectedNamingThePart() {
    ChatRequest request = request(List.of(user(text("look"), ContentPart.Image.remote("https://example.com/cat.png"))));

    GatewayError error = failure(() -> encode(request));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("messages[0].content[1]");
    assertThat(error.message()).contains("could not be sent to Gemini");
  }

  @Test
  void aToolResultForAnUnknownCallIsRejected() {
    ChatRequest request = request(List.of(
        user(text("hi")),
        assistant(call("call_a", "f", "{}")),
        tool(result("call_zzz", "x"))));

    GatewayError error = failure(() -> encode(request));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("messages[2].content[0]");
    assertThat(error.message()).contains("call_zzz");
  }

  @Test
  void moreThanFiveStopSequencesAreRejected() {
    Canonical.Builder request = Canonical.builder(List.of(user(text("hi"))));
    request.stop = List.of("a", "b", "c", "d", "e", "f");

    GatewayError error = failure(() -> encode(request.build()));

    assertThat(error.param()).isEqualTo("stop");
    assertThat(error.message()).contains("at most 5");
  }

  @Test
  void aRequestWhoseEveryTurnIsEmptyIsRejected() {
    GatewayError error = failure(() -> encode(request(List.of(user(text(""))))));

    assertThat(error.param()).isEqualTo("messages");
  }
}

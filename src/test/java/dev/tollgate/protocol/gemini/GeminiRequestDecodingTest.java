package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.GeminiFixtures.assertSameJson;
import static dev.tollgate.protocol.gemini.GeminiFixtures.bytes;
import static dev.tollgate.protocol.gemini.GeminiFixtures.canonical;
import static dev.tollgate.protocol.gemini.GeminiFixtures.failure;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec.RequestTarget;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiRequestDecodingTest {

  private final GeminiCodec codec = new GeminiCodec();
  private static final RequestTarget TARGET = new RequestTarget("gemini-2.5-flash", false);

  private ChatRequest decode(String json) {
    return codec.decodeRequest(json.getBytes(UTF_8), TARGET);
  }

  private static String withUserText(String extra) {
    return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  @Test
  void textTurnsAndSystemInstructionDecodeWithModelAndStreamFromThePath() {
    ChatRequest request = codec.decodeRequest(bytes("decode-text.gemini.json"),
        new RequestTarget("models/gemini-2.5-flash", true));

    assertSameJson(canonical(request), "decode-text.canonical.json");
  }

  @Test
  void inlineImagesAudioPdfAndFileUrisDecodeToTheirPartKinds() {
    assertSameJson(canonical(codec.decodeRequest(bytes("decode-media.gemini.json"), TARGET)), "decode-media.canonical.json");
  }

  @Test
  void functionResponsesMatchCallsByNameAndOrderWithSynthesisedIds() {
    assertSameJson(canonical(codec.decodeRequest(bytes("decode-function-calls.gemini.json"), TARGET)),
        "decode-function-calls.canonical.json");
  }

  @Test
  void functionDeclarationsBecomeToolsWithJsonSchemaTypes() {
    assertSameJson(canonical(codec.decodeRequest(bytes("decode-tools.gemini.json"), TARGET)), "decode-tools.canonical.json");
  }

  @Test
  void generationConfigMapsToSamplingStopCandidatesFormatAndReasoning() {
    assertSameJson(canonical(codec.decodeRequest(bytes("decode-generation-config.gemini.json"), TARGET)),
        "decode-generation-config.canonical.json");
  }

  @Test
  void thoughtPartsAndSignaturesBecomeGeminiThinking() {
    assertSameJson(canonical(codec.decodeRequest(bytes("decode-thoughts.gemini.json"), TARGET)),
        "decode-thoughts.canonical.json");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"mode\":\"AUTO\"}                                          | auto",
      "{\"mode\":\"VALIDATED\"}                                     | auto",
      "{\"mode\":\"NONE\"}                                          | none",
      "{\"mode\":\"ANY\"}                                           | required:",
      "{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\"]}          | specific:f",
      "{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\",\"g\"]}    | required:f,g"})
  void functionCallingModesMapToToolChoice(String config, String expected) {
    String tools = "\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\"},{\"name\":\"g\"}]}],"
        + "\"toolConfig\":{\"functionCallingConfig\":" + config + "}";

    ToolChoice choice = decode(withUserText(tools)).toolChoice();

    String actual = switch (choice) {
      case ToolChoice.Auto a -> "auto";
      case ToolChoice.None n -> "none";
      case ToolChoice.Required r -> "required:" + String.join(",", r.allowed());
      case ToolChoice.Specific s -> "specific:" + s.name();
    };
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void toolConfigWithoutToolsIsDropped() {
    ChatRequest request = decode(withUserText("\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\"}}"));

    assertThat(request.tools()).isEmpty();
    assertThat(request.toolChoice()).isNull();
  }

  @Test
  void responseMimeTypeJsonWithoutSchemaIsJsonObject() {
    ChatRequest request = decode(withUserText("\"generationConfig\":{\"responseMimeType\":\"application/json\"}"));

    assertThat(request.responseFormat()).isEqualTo(new ResponseFormat.JsonObject());
  }

  @Test
  void responseJsonSchemaIsTakenAsIs() {
    ChatRequest request = decode(withUserText("\"generationConfig\":{\"responseMimeType\":\"application/json\","
        + "\"responseJsonSchema\":{\"type\":\"object\",\"additionalProperties\":false}}"));

    assertThat(request.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, s -> {
      assertThat(s.name()).isEqualTo("response");
      assertThat(s.schema().get("additionalProperties").asBoolean(true)).isFalse();
    });
  }

  @Test
  void thinkingLevelBecomesAnEffort() {
    ChatRequest request = decode(withUserText("\"generationConfig\":{\"thinkingConfig\":{\"thinkingLevel\":\"HIGH\"}}"));

    assertThat(request.reasoning()).isEqualTo(new Reasoning("high", null, false));
  }

  @Test
  void snakeCaseFieldsAndALeadingBomAreAccepted() {
    byte[] json = ("\uFEFF{\"system_instruction\":{\"parts\":[{\"text\":\"sys\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"inline_data\":{\"mime_type\":\"image/png\",\"data\":\"AA==\"}}]}],"
        + "\"generation_config\":{\"max_output_tokens\":5}}").getBytes(UTF_8);

    ChatRequest request = codec.decodeRequest(json, TARGET);

    assertThat(request.system()).containsExactly(new ContentPart.Text("sys"));
    assertThat(request.messages().get(0).parts()).containsExactly(ContentPart.Image.inline("image/png", "AA=="));
    assertThat(request.maxOutputTokens()).isEqualTo(5);
  }

  @Test
  void nullFieldsCountAsAbsent() {
    ChatRequest request = decode(withUserText("\"generationConfig\":{\"temperature\":null,\"stopSequences\":null},\"tools\":null"));

    assertThat(request.temperature()).isNull();
    assertThat(request.stop()).isEmpty();
    assertThat(request.tools()).isEmpty();
  }

  @Test
  void modelFallsBackToTheBodyWithoutAPathModel() {
    ChatRequest request = codec.decodeRequest(withUserText("\"model\":\"models/gemini-2.0-flash\"").getBytes(UTF_8), RequestTarget.NONE);

    assertThat(request.model()).isEqualTo("gemini-2.0-flash");
  }

  // --- what cannot be decoded ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"contents\":[                                                                  | ",
      "[]                                                                               | ",
      "{}                                                                               | contents",
      "{\"contents\":{}}                                                                | contents",
      "{\"contents\":[]}                                                                | contents",
      "{\"contents\":[{\"role\":\"user\"}]}                                             | contents[0].parts",
      "{\"contents\":[{\"role\":\"system\",\"parts\":[]}]}                              | contents[0].role",
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":1}]}]}                    | contents[0].parts[0].text",
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"foo\":1}]}]}                     | contents[0].parts[0]",
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inlineData\":{\"data\":\"AA\"}}]}]} | contents[0].parts[0].inlineData.mimeType",
      "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"executableCode\":{}}]}]}         | contents[0].parts[0]"})
  void malformedBodiesAndContentsAreRejectedNamingTheField(String body, String param) {
    GatewayError error = failure(() -> decode(body));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).isNotBlank();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"generationConfig\":{\"temperature\":\"hot\"}                 | generationConfig.temperature",
      "\"generationConfig\":{\"maxOutputTokens\":1.5}                 | generationConfig.maxOutputTokens",
      "\"generationConfig\":{\"maxOutputTokens\":0}                   | generationConfig.maxOutputTokens",
      "\"generationConfig\":{\"stopSequences\":\"END\"}               | generationConfig.stopSequences",
      "\"generationConfig\":{\"responseMimeType\":\"text/x.enum\"}    | generationConfig.responseMimeType",
      "\"generationConfig\":{\"responseLogprobs\":true}               | generationConfig.responseLogprobs",
      "\"generationConfig\":[]                                        | generationConfig",
      "\"tools\":[{\"googleSearch\":{}}]                              | tools[0].googleSearch",
      "\"tools\":[{\"codeExecution\":{}}]                             | tools[0].codeExecution",
      "\"tools\":[{\"functionDeclarations\":[{\"description\":\"x\"}]}] | tools[0].functionDeclarations[0].name",
      "\"cachedContent\":\"cachedContents/abc\"                       | cachedContent"})
  void fieldsOfTheWrongTypeOrWithoutEquivalentAreRejectedNamingTheField(String extra, String param) {
    GatewayError error = failure(() -> decode(withUserText(extra)));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).contains(param);
  }

  @Test
  void aFunctionResponseWithoutAMatchingCallIsRejected() {
    String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{}}}]}]}";

    GatewayError error = failure(() -> decode(body));

    assertThat(error.param()).isEqualTo("contents[0].parts[0].functionResponse");
    assertThat(error.message()).contains("'f'");
  }

  @Test
  void aMissingModelIsRejected() {
    GatewayError error = failure(() -> codec.decodeRequest(withUserText("").getBytes(UTF_8), RequestTarget.NONE));

    assertThat(error.param()).isEqualTo("model");
  }

  @Test
  void aFunctionResponseWithAnEchoedIdMatchesThatCall() {
    String body = "{\"contents\":["
        + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"id\":\"a\"}},{\"functionCall\":{\"name\":\"f\",\"id\":\"b\"}}]},"
        + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"id\":\"b\",\"response\":{\"n\":2}}},"
        + "{\"functionResponse\":{\"name\":\"f\",\"response\":{\"n\":1}}}]}]}";

    List<ContentPart> results = decode(body).messages().get(1).parts();

    assertThat(results).extracting(p -> ((ContentPart.ToolResult) p).callId()).containsExactly("b", "a");
  }
}

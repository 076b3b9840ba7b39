package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.decode;
import static dev.tollgate.protocol.openai.CodecFixtures.decodeFixture;
import static dev.tollgate.protocol.openai.CodecFixtures.failure;
import static dev.tollgate.protocol.openai.CodecFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.ContentPart.Image;
import dev.tollgate.protocol.canonical.ContentPart.Text;
import dev.tollgate.protocol.canonical.ContentPart.ToolCall;
import dev.tollgate.protocol.canonical.ContentPart.ToolResult;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiRequestDecoderTest {

  @Test
  void systemAndDeveloperMessagesAnywhereAreHoistedInOrder() {
    ChatRequest request = decodeFixture("system-hoisting.client.json");

    assertThat(request.system()).extracting(Text::text)
        .containsExactly("You are terse.", "Answer in French.", "No emoji.", "Be kind.");
    assertThat(request.messages()).containsExactly(
        Message.text(Role.USER, "Hi"), Message.text(Role.ASSISTANT, "Bonjour."), Message.text(Role.USER, "Weather?"));
  }

  @Test
  void userContentPartsBecomeTextImageAudioAndFile() {
    ChatRequest request = decodeFixture("content-forms.client.json");

    assertThat(request.messages().getFirst().parts()).containsExactly(
        new Text("Compare these."),
        Image.remote("https://example.com/cat.png"),
        Image.inline("image/png", "iVBORw0KGgo="),
        new ContentPart.Audio("wav", "UklGRg=="),
        new ContentPart.File("application/pdf", "JVBERi0xLjQ=", "a.pdf"));
  }

  @Test
  void assistantRefusalPartsBecomeText() {
    ChatRequest request = decodeFixture("content-forms.client.json");

    assertThat(request.messages().get(1)).isEqualTo(
        new Message(Role.ASSISTANT, List.of(new Text("One is "), new Text("I cannot say."))));
  }

  @Test
  void oddDataUrlsAreNormalised() {
    ChatRequest request = decodeFixture("data-urls.client.json");

    assertThat(request.messages().getFirst().parts()).containsExactly(
        Image.inline("image/jpeg", "/9j/4AAQSkZJRg=="),
        Image.inline("image/webp", "UklGR+/+/w=="),
        Image.inline("image/png", "iVBORw0KGgo="),
        Image.inline("image/png", "iVBORw0KGgoAAAANSUhEUg=="));
  }

  @Test
  void dataUrlWithoutBase64MarkerIsPercentDecodedAndEncoded() {
    ChatRequest request = decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"data:image/svg+xml,%3Csvg%2F%3E\"}}]}]}");

    assertThat(request.messages().getFirst().parts()).containsExactly(Image.inline("image/svg+xml", "PHN2Zy8+"));
  }

  @Test
  void toolMessagesBecomeToolResultsWithTheNameOfTheirCall() {
    ChatRequest request = decodeFixture("tool-round-trip.client.json");

    assertThat(request.messages()).containsExactly(
        Message.text(Role.USER, "Weather in Paris and Lyon?"),
        new Message(Role.ASSISTANT, List.of(
            new Text("Checking both."),
            new ToolCall("call_a1", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_b2", "get_time", ""))),
        new Message(Role.TOOL, List.of(
            new ToolResult("call_a1", "get_weather", List.of(new Text("{\"temp_c\":18}")), false),
            new ToolResult("call_b2", "get_time", List.of(new Text("12:00")), false))),
        Message.text(Role.USER, "Thanks"),
        new Message(Role.ASSISTANT, List.of(new ToolCall("call_c3", "get_weather", "{\"city\":\"Nice\"}"))),
        new Message(Role.TOOL, List.of(new ToolResult("call_c3", "get_weather", List.of(new Text("{\"temp_c\":21}")), false))));
  }

  @Test
  void toolsKeepNameDescriptionSchemaAndStrict() {
    ChatRequest request = decodeFixture("tool-round-trip.client.json");

    assertThat(request.tools()).hasSize(2);
    assertThat(request.tools().getFirst().name()).isEqualTo("get_weather");
    assertThat(request.tools().getFirst().description()).isEqualTo("Current weather");
    assertThat(request.tools().getFirst().parameters().get("required").get(0).asText()).isEqualTo("city");
    assertThat(request.tools().getFirst().strict()).isTrue();
    assertThat(request.tools().get(1).parameters()).isNull();
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Auto());
    assertThat(request.parallelToolCalls()).isFalse();
  }

  @Test
  void assistantWithEmptyContentAndToolCallsHasOnlyTheCalls() {
    ChatRequest request = decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
        + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"assistant\",\"content\":[],\"tool_calls\":[{\"id\":\"d\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}");

    assertThat(request.messages().get(1).parts()).containsExactly(new ToolCall("c", "f", "{}"));
    assertThat(request.messages().get(2).parts()).containsExactly(new ToolCall("d", "f", "{}"));
  }

  @Test
  void legacyFunctionCallingBecomesToolsCallsAndResults() {
    ChatRequest request = decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
        + "{\"role\":\"function\",\"name\":\"f\",\"content\":\"done\"}],"
        + "\"functions\":[{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}],\"function_call\":{\"name\":\"f\"}}");

    ToolCall call = (ToolCall) request.messages().get(1).parts().getFirst();
    assertThat(request.messages().get(2).parts())
        .containsExactly(new ToolResult(call.id(), "f", List.of(new Text("done")), false));
    assertThat(request.tools()).extracting(t -> t.name()).containsExactly("f");
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice.Specific("f"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"auto\"                                               | auto",
      "\"none\"                                               | none",
      "\"required\"                                           | required",
      "{\"type\":\"function\",\"function\":{\"name\":\"f\"}} | specific"})
  void toolChoiceFormsAreDecoded(String json, String expected) {
    ChatRequest request = decode(request("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":" + json));

    ToolChoice wanted = switch (expected) {
      case "auto" -> new ToolChoice.Auto();
      case "none" -> new ToolChoice.None();
      case "required" -> new ToolChoice.Required(List.of());
      default -> new ToolChoice.Specific("f");
    };
    assertThat(request.toolChoice()).isEqualTo(wanted);
  }

  @Test
  void emptyToolsAreDroppedWithTheirToolChoiceAndParallelFlag() {
    ChatRequest request = decodeFixture("nulls-and-empties.client.json");

    assertThat(request.tools()).isEmpty();
    assertThat(request.toolChoice()).isNull();
    assertThat(request.parallelToolCalls()).isNull();
  }

  @Test
  void nullValuesCountAsAbsent() {
    ChatRequest request = decodeFixture("nulls-and-empties.client.json");

    assertThat(request).isEqualTo(new ChatRequest("claude-sonnet", List.of(), List.of(Message.text(Role.USER, "Hi")),
        List.of(), null, null, null, null, null, null, List.of(), null, null, null, null, null, null, null, false, List.of()));
  }

  @Test
  void samplingFieldsAreDecodedAndMaxCompletionTokensWins() {
    ChatRequest request = decodeFixture("sampling.client.json");

    assertThat(request.maxOutputTokens()).isEqualTo(300);
    assertThat(request.temperature()).isEqualTo(0.7);
    assertThat(request.topP()).isEqualTo(0.9);
    assertThat(request.stop()).containsExactly("\n");
    assertThat(request.presencePenalty()).isEqualTo(0.5);
    assertThat(request.frequencyPenalty()).isEqualTo(-0.5);
    assertThat(request.seed()).isEqualTo(42L);
    assertThat(request.n()).isEqualTo(1);
    assertThat(request.reasoning()).isEqualTo(new Reasoning("low", null, false));
    assertThat(request.user()).isEqualTo("user-7");
    assertThat(request.stream()).isTrue();
    assertThat(request.topK()).isNull();
  }

  @Test
  void severalChoicesAreDecodedStreamedOrNot() {
    // Refusing a converted stream of several choices is the encoders' job (StreamedChoicesTest).
    assertThat(decode(request("\"n\":2")).n()).isEqualTo(2);
    assertThat(decode(request("\"n\":2,\"stream\":true")).n()).isEqualTo(2);
  }

  @Test
  void maxTokensIsUsedWhenMaxCompletionTokensIsAbsent() {
    assertThat(decode(request("\"max_tokens\":77")).maxOutputTokens()).isEqualTo(77);
  }

  @Test
  void stopArrayIsKeptInOrder() {
    assertThat(decode(request("\"stop\":[\"END\",\"###\"]")).stop()).containsExactly("END", "###");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"text\"}        | text",
      "{\"type\":\"json_object\"} | json_object"})
  void simpleResponseFormatsAreDecoded(String json, String type) {
    ResponseFormat format = decode(request("\"response_format\":" + json)).responseFormat();

    assertThat(format).isEqualTo(type.equals("text") ? new ResponseFormat.Text() : new ResponseFormat.JsonObject());
  }

  @Test
  void jsonSchemaResponseFormatKeepsNameSchemaAndStrict() {
    ResponseFormat format = decodeFixture("sampling.client.json").responseFormat();

    assertThat(format).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, schema -> {
      assertThat(schema.name()).isEqualTo("answer");
      assertThat(schema.schema().get("type").asText()).isEqualTo("object");
      assertThat(schema.strict()).isTrue();
    });
  }

  @Test
  void jsonSchemaWithoutNameIsNamedResponse() {
    ResponseFormat format = decode(request("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{\"type\":\"object\"}}}")).responseFormat();

    assertThat(((ResponseFormat.JsonSchema) format).name()).isEqualTo("response");
  }

  @Test
  void leadingByteOrderMarkIsIgnored() {
    byte[] json = request("").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[json.length + 3];
    body[0] = (byte) 0xEF;
    body[1] = (byte) 0xBB;
    body[2] = (byte) 0xBF;
    System.arraycopy(json, 0, body, 3, json.length);

    assertThat(CodecFixtures.CODEC.decodeRequest(body, null).model()).isEqualTo("m");
  }

  @Test
  void duplicateKeysTakeTheLastValue() {
    assertThat(decode(request("\"temperature\":0.1,\"temperature\":0.3")).temperature()).isEqualTo(0.3);
  }

  @ParameterizedTest(name = "{0} → param {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`\"max_tokens\":0`                                                  | max_tokens",
      "`\"max_completion_tokens\":-5`                                      | max_completion_tokens",
      "`\"max_tokens\":\"100\"`                                            | max_tokens",
      "`\"n\":1.5`                                                         | n",
      "`\"temperature\":\"hot\"`                                           | temperature",
      "`\"seed\":\"x\"`                                                    | seed",
      "`\"stop\":[1]`                                                      | stop",
      "`\"stream\":\"yes\"`                                                | stream",
      "`\"stream_options\":true`                                           | stream_options",
      "`\"user\":5`                                                        | user",
      "`\"tools\":{}`                                                      | tools",
      "`\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}]`     | tools[0].type",
      "`\"tools\":[{\"type\":\"function\",\"function\":{}}]`               | tools[0].function.name",
      "`\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]}}` | tool_choice",
      "`\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"custom\",\"custom\":{\"name\":\"f\"}}` | tool_choice",
      "`\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"sometimes\"` | tool_choice",
      "`\"response_format\":{\"type\":\"xml\"}`                            | response_format.type",
      "`\"response_format\":{\"type\":\"json_schema\"}`                    | response_format.json_schema",
      "`\"web_search_options\":{}`                                         | web_search_options",
      "`\"modalities\":[\"text\",\"audio\"]`                               | modalities",
      "`\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}`                | audio",
      "`\"logprobs\":true`                                                 | logprobs",
      "`\"top_logprobs\":3`                                                | top_logprobs"})
  void unusableTopLevelFieldsAreRejectedByName(String members, String param) {
    GatewayError error = failure(() -> decode(request(members)));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
  }

  @ParameterizedTest(name = "{0} → param {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}`                                   | model",
      "`{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}`                    | model",
      "`{\"model\":\"m\"}`                                                                        | messages",
      "`{\"model\":\"m\",\"messages\":[]}`                                                        | messages",
      "`{\"model\":\"m\",\"messages\":{}}`                                                        | messages",
      "`{\"model\":\"m\",\"messages\":[\"hi\"]}`                                                  | messages[0]",
      "`{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}`                                     | messages[0].role",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}`                  | messages[0].role",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}`                                     | messages[0].content",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}`                       | messages[0].content",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}`  | messages[0].content[0].type",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,@@@\"}}]}]}` | messages[0].content[0].image_url.url",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64\"}}]}]}` | messages[0].content[0].image_url.url",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}` | messages[0].content[0].image_url.url",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-1\"}}]}]}` | messages[0].content[0].file.file_id",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"image_url\"}]}]}` | messages[0].content[0].type",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}`                   | messages[0].tool_call_id",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"x\"}]}` | messages[0].tool_call_id",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"arguments\":\"{}\"}}]}]}` | messages[0].tool_calls[0].function.name",
      "`[1,2]`                                                                                    | ",
      "`{\"model\":\"m\",`                                                                        | ",
      "`{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]} {}`                | "})
  void malformedRequestsAreRejectedNamingTheField(String body, String param) {
    GatewayError error = failure(() -> decode(body));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
  }

  @Test
  void modelAndStreamComeFromTheBodyWhateverTheTarget() {
    ChatRequest request = CodecFixtures.CODEC.decodeRequest(
        request("\"stream\":true").getBytes(StandardCharsets.UTF_8), new dev.tollgate.protocol.ChatCodec.RequestTarget("other", false));

    assertThat(request.model()).isEqualTo("m");
    assertThat(request.stream()).isTrue();
  }
}

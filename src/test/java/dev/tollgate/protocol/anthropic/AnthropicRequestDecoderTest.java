package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.failure;
import static dev.tollgate.protocol.anthropic.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec.RequestTarget;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicRequestDecoderTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  private ChatRequest decode(String json) {
    return codec.decodeRequest(utf8(json), RequestTarget.NONE);
  }

  /** A minimal valid body with {@code extra} fields appended. */
  private ChatRequest decodeWith(String extra) {
    return decode("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
  }

  @Test
  void systemStringBecomesOneTextPart() {
    assertThat(decodeWith(",\"system\":\"Be brief.\"").system()).containsExactly(new ContentPart.Text("Be brief."));
  }

  @Test
  void systemBlocksKeepTheirOrderWithoutCacheControl() {
    ChatRequest request = decodeWith(",\"system\":[{\"type\":\"text\",\"text\":\"A\",\"cache_control\":{\"type\":\"ephemeral\"}},"
        + "{\"type\":\"text\",\"text\":\"B\"}]");

    assertThat(request.system()).containsExactly(new ContentPart.Text("A"), new ContentPart.Text("B"));
  }

  @Test
  void missingMaxTokensIsRejectedNamingMaxTokens() {
    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("max_tokens");
    assertThat(error.message()).isEqualTo("max_tokens: Field required");
  }

  @Test
  void missingModelIsRejectedNamingModel() {
    assertThat(failure(() -> decode("{\"max_tokens\":1,\"messages\":[]}")).param()).isEqualTo("model");
  }

  @Test
  void missingMessagesIsRejectedNamingMessages() {
    assertThat(failure(() -> decode("{\"model\":\"m\",\"max_tokens\":1}")).param()).isEqualTo("messages");
  }

  @Test
  void malformedJsonIsAnInvalidRequestWithoutParserDetails() {
    GatewayError error = failure(() -> decode("{\"model\": \"m\", "));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.message()).isEqualTo("The request body is not valid JSON");
  }

  @Test
  void bodyThatIsNotAnObjectIsRejected() {
    assertThat(failure(() -> decode("[1,2]")).code()).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      ",\"temperature\":\"hot\"                 | temperature",
      ",\"max_tokens\":1.5                      | max_tokens",
      ",\"top_k\":\"x\"                         | top_k",
      ",\"stream\":\"yes\"                      | stream",
      ",\"stop_sequences\":\"END\"              | stop_sequences",
      ",\"tool_choice\":{\"type\":\"sometimes\"} | tool_choice.type",
      ",\"tool_choice\":{\"type\":\"tool\"}     | tool_choice.name",
      ",\"thinking\":{\"type\":\"enabled\"}     | thinking.budget_tokens",
      ",\"metadata\":{\"user_id\":7}            | metadata.user_id",
      ",\"tools\":[{\"description\":\"x\"}]     | tools.0.name",
  })
  void wrongTypesAreRejectedNamingTheField(String extra, String param) {
    GatewayError error = failure(() -> decodeWith(extra));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
  }

  @Test
  void zeroMaxTokensIsRejected() {
    assertThat(failure(() -> decode("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}")).param()).isEqualTo("max_tokens");
  }

  @Test
  void unknownRoleIsRejectedNamingTheMessage() {
    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"));

    assertThat(error.param()).isEqualTo("messages.0.role");
  }

  @Test
  void nullFieldsCountAsAbsent() {
    ChatRequest request = decodeWith(",\"temperature\":null,\"stop_sequences\":null,\"system\":null,\"tools\":null");

    assertThat(request.temperature()).isNull();
    assertThat(request.stop()).isEmpty();
    assertThat(request.system()).isEmpty();
    assertThat(request.tools()).isEmpty();
  }

  @Test
  void leadingByteOrderMarkIsIgnored() {
    byte[] body = utf8("\uFEFF{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(codec.decodeRequest(body, RequestTarget.NONE).maxOutputTokens()).isEqualTo(5);
  }

  @Test
  void base64ImageBecomesInlineImageAndUrlImageRemote() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/cat.png\"}}]}]}");

    assertThat(request.messages().getFirst().parts()).containsExactly(
        ContentPart.Image.inline("image/png", "AAAA"), ContentPart.Image.remote("https://x/cat.png"));
  }

  @Test
  void base64PdfDocumentBecomesFileWithItsTitle() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"document\",\"title\":\"a.pdf\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBE\"}}]}]}");

    assertThat(request.messages().getFirst().parts()).containsExactly(new ContentPart.File("application/pdf", "JVBE", "a.pdf"));
  }

  @Test
  void toolUseInputBecomesArgumentsJson() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":[1,2]}}]}]}");

    assertThat(request.messages().get(1)).isEqualTo(
        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall("toolu_1", "f", "{\"a\":[1,2]}"))));
  }

  @Test
  void toolResultsBecomeAToolMessageAndFollowingTextASeparateUserMessage() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}},"
        + "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"g\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"ok\"},"
        + "{\"type\":\"tool_result\",\"tool_use_id\":\"t2\",\"content\":[{\"type\":\"text\",\"text\":\"boom\"}],\"is_error\":true},"
        + "{\"type\":\"text\",\"text\":\"next?\"}]}]}");

    assertThat(request.messages()).hasSize(4);
    assertThat(request.messages().get(2)).isEqualTo(new Message(Role.TOOL, List.of(
        new ContentPart.ToolResult("t1", "f", List.of(new ContentPart.Text("ok")), false),
        new ContentPart.ToolResult("t2", "g", List.of(new ContentPart.Text("boom")), true))));
    assertThat(request.messages().get(3)).isEqualTo(Message.text(Role.USER, "next?"));
  }

  @Test
  void thinkingBlocksKeepTheirAnthropicSignature() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"SIG\"},"
        + "{\"type\":\"redacted_thinking\",\"data\":\"ENC\"}]}]}");

    assertThat(request.messages().get(1).parts()).containsExactly(
        new ContentPart.Thinking("hmm", "SIG", "anthropic", false),
        new ContentPart.Thinking("", "ENC", "anthropic", true));
  }

  @Test
  void gatewayPrefixedSignatureDecodesToItsOwnVendor() {
    ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"tg1:gemini:abc\"}]}]}");

    assertThat(request.messages().get(1).parts()).containsExactly(new ContentPart.Thinking("t", "abc", "gemini", false));
  }

  @Test
  void serverToolIsRejectedNamingIt() {
    GatewayError error = failure(() -> decodeWith(",\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]"));

    assertThat(error.param()).isEqualTo("tools.0.type");
    assertThat(error.message()).contains("web_search_20250305");
  }

  @Test
  void toolSchemaBecomesParameters() {
    ChatRequest request = decodeWith(",\"tools\":[{\"name\":\"f\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"}}]");

    assertThat(request.tools()).singleElement().satisfies(tool -> {
      assertThat(tool.name()).isEqualTo("f");
      assertThat(tool.description()).isEqualTo("d");
      assertThat(tool.parameters().toString()).isEqualTo("{\"type\":\"object\"}");
    });
  }

  @Test
  void toolChoicesMapToCanonical() {
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"auto\"}").toolChoice()).isEqualTo(new ToolChoice.Auto());
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"any\"}").toolChoice()).isEqualTo(new ToolChoice.Required(List.of()));
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"none\"}").toolChoice()).isEqualTo(new ToolChoice.None());
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}").toolChoice()).isEqualTo(new ToolChoice.Specific("f"));
  }

  @Test
  void disableParallelToolUseMeansNoParallelToolCalls() {
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}").parallelToolCalls()).isFalse();
    assertThat(decodeWith(",\"tool_choice\":{\"type\":\"auto\"}").parallelToolCalls()).isNull();
  }

  @Test
  void samplingStopUserAndStreamAreRead() {
    ChatRequest request = decodeWith(",\"temperature\":0.5,\"top_p\":0.8,\"top_k\":20,\"stop_sequences\":[\"X\",\"Y\"],"
        + "\"metadata\":{\"user_id\":\"u1\"},\"stream\":true");

    assertThat(request.temperature()).isEqualTo(0.5);
    assertThat(request.topP()).isEqualTo(0.8);
    assertThat(request.topK()).isEqualTo(20);
    assertThat(request.stop()).containsExactly("X", "Y");
    assertThat(request.user()).isEqualTo("u1");
    assertThat(request.stream()).isTrue();
    assertThat(request.maxOutputTokens()).isEqualTo(10);
  }

  @Test
  void enabledThinkingBecomesABudget() {
    assertThat(decodeWith(",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}").reasoning())
        .isEqualTo(new Reasoning(null, 2048, true));
  }

  @Test
  void disabledThinkingIsAZeroBudget() {
    assertThat(decodeWith(",\"thinking\":{\"type\":\"disabled\"}").reasoning()).isEqualTo(new Reasoning(null, 0, false));
  }

  @Test
  void unconvertibleBlockTypeIsRejectedNamingThePart() {
    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"container_upload\",\"file_id\":\"f\"}]}]}"));

    assertThat(error.param()).isEqualTo("messages.0.content.0");
  }
}

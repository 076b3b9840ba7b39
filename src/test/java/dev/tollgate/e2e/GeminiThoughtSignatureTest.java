package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.testing.WeatherTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gemini 3 wants each function call's thoughtSignature back on the next turn; OpenAI and
 * Anthropic clients cannot carry it, so the gateway remembers it (protocols.md §5.6). The mock's
 * {@code gemini-3-tools} issues a signature and refuses a tool round trip without it, as Gemini 3 does.
 */
@UsesDatabase
class GeminiThoughtSignatureTest {

  private static final String MODEL = "gemini-3-tools";

  @TempDir static Path dataDir;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static OpenAIClient openAi;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel("gemini", gemini.baseUrl(), List.of(MODEL), Map.of());
    openAi = openAiClient(gateway.createKey());
    anthropic = AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl()).apiKey(gateway.createKey()).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    gemini.close();
  }

  private static OpenAIClient openAiClient(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1").apiKey(key).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
  }

  /** The functionCall parts of the latest model turn the upstream received. */
  private static List<JsonNode> callPartsOfLastModelTurn() {
    JsonNode contents = gemini.last().body().path("contents");
    for (int i = contents.size() - 1; i >= 0; i--) {
      if (contents.get(i).path("role").asText().equals("model")) {
        List<JsonNode> calls = new java.util.ArrayList<>();
        contents.get(i).path("parts").forEach(part -> {
          if (part.has("functionCall")) {
            calls.add(part);
          }
        });
        return calls;
      }
    }
    throw new AssertionError("no model turn in " + contents);
  }

  private static ChatCompletion openAiRoundTrip(OpenAIClient client, ChatCompletionMessage assistant) {
    String callId = assistant.toolCalls().orElseThrow().get(0).asFunction().id();
    return client.chat().completions().create(WeatherTool.openAiRequest(MODEL)
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content("{\"temp_c\":18}").build())
        .build());
  }

  @Test
  void anOpenAiClientsToolRoundTripCarriesTheSignatureBackToGemini() {
    ChatCompletionMessage assistant = openAi.chat().completions().create(WeatherTool.openAiRequest(MODEL).build())
        .choices().get(0).message();

    ChatCompletion second = openAiRoundTrip(openAi, assistant);

    assertThat(second.choices().get(0).message().content()).contains("It is 18 °C in Paris.");
    assertThat(callPartsOfLastModelTurn()).singleElement()
        .satisfies(part -> assertThat(part.path("thoughtSignature").asText()).isEqualTo(MockGeminiUpstream.THOUGHT_SIGNATURE));
  }

  @Test
  void aStreamedCallsSignatureComesBackToo() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (var stream = openAi.chat().completions().createStreaming(WeatherTool.openAiRequest(MODEL).build())) {
      stream.stream().forEach((ChatCompletionChunk chunk) -> accumulator.accumulate(chunk));
    }
    ChatCompletionMessage assistant = accumulator.chatCompletion().choices().get(0).message();

    ChatCompletion second = openAiRoundTrip(openAi, assistant);

    assertThat(second.choices().get(0).message().content()).contains("It is 18 °C in Paris.");
    assertThat(callPartsOfLastModelTurn()).singleElement()
        .satisfies(part -> assertThat(part.path("thoughtSignature").asText()).isEqualTo(MockGeminiUpstream.THOUGHT_SIGNATURE));
  }

  @Test
  void anAnthropicClientsToolRoundTripCarriesTheSignatureBackToGemini() {
    for (boolean stream : List.of(false, true)) {
      Message first = stream ? streamed(anthropicRequest().build()) : anthropic.messages().create(anthropicRequest().build());
      ToolUseBlock call = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();

      Message second = anthropic.messages().create(anthropicRequest()
          .addMessage(first)
          .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
              ToolResultBlockParam.builder().toolUseId(call.id()).content("{\"temp_c\":18}").build())))
          .build());

      assertThat(second.content().get(0).text().orElseThrow().text()).as("streamed: %s", stream)
          .isEqualTo("It is 18 °C in Paris.");
      assertThat(callPartsOfLastModelTurn()).singleElement().satisfies(part ->
          assertThat(part.path("thoughtSignature").asText()).isEqualTo(MockGeminiUpstream.THOUGHT_SIGNATURE));
    }
  }

  @Test
  void anotherKeyReplayingTheSameCallGetsNoSignatureAndGeminiRefuses() {
    ChatCompletionMessage assistant = openAi.chat().completions().create(WeatherTool.openAiRequest(MODEL).build())
        .choices().get(0).message();
    OpenAIClient stranger = openAiClient(gateway.createKey());

    assertThatThrownBy(() -> openAiRoundTrip(stranger, assistant))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("thought_signature"));
    assertThat(callPartsOfLastModelTurn()).singleElement().satisfies(part -> assertThat(part.has("thoughtSignature")).isFalse());
  }

  private static MessageCreateParams.Builder anthropicRequest() {
    return MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("Weather in Paris?")
        .addTool(Tool.builder().name("get_weather").description("Current weather")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
            .build());
  }

  private static Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (var stream = anthropic.messages().createStreaming(params)) {
      stream.stream().forEach((RawMessageStreamEvent event) -> accumulator.accumulate(event));
    }
    return accumulator.message();
  }
}

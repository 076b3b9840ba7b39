package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.testing.WeatherTool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official anthropic-java SDK against {@code /v1/messages}: served by an OpenAI-format
 * upstream (what Claude Code through ANTHROPIC_BASE_URL relies on) and by an Anthropic one.
 */
@UsesDatabase
class AnthropicClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockAnthropicUpstream anthropic;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;
  static AnthropicClient client;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text", "gemini-tools", "gemini-400"), Map.of());
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text", "mock-tools", "mock-500", "mock-400"), Map.of());
    gateway.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-text", "claude-tools", "claude-400"), Map.of());
    key = gateway.createKey();
    client = AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    anthropic.close();
    gemini.close();
  }

  private static MessageCreateParams.Builder ask(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(256).system("Be brief.").addUserMessage("Say hello");
  }

  private static String text(Message message) {
    StringBuilder text = new StringBuilder();
    message.content().forEach(block -> block.text().ifPresent(t -> text.append(t.text())));
    return text.toString();
  }

  private static Message streamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  @Test
  void textFromAnOpenAiUpstreamWithAnthropicUsage() {
    Message message = client.messages().create(ask("mock-text").build());

    assertThat(text(message)).isEqualTo("Hello there!");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).as("prompt minus cached").isEqualTo(7);
    assertThat(message.usage().cacheReadInputTokens()).contains(4L);
    assertThat(message.usage().outputTokens()).isEqualTo(3);
    JsonNode sent = openAi.last().body();
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);
  }

  @Test
  void streamedTextFromAnOpenAiUpstreamAccumulates() {
    Message message = streamed(ask("mock-text").build());

    assertThat(text(message)).isEqualTo("Hello there!");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void toolUseFromAnOpenAiUpstream() {
    Message message = client.messages().create(withWeatherTool("mock-tools").build());

    ToolUseBlock call = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call.id()).isEqualTo("call_a1");
    assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void streamedToolUseFromAnOpenAiUpstreamHasItsWholeInput() {
    Message message = streamed(withWeatherTool("mock-tools").build());

    ToolUseBlock call = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void toolResultRoundTripThroughAnOpenAiUpstream() {
    Message first = client.messages().create(withWeatherTool("mock-tools").build());
    ToolUseBlock call = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();

    Message second = client.messages().create(withWeatherTool("mock-tools")
        .addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(call.id()).content("{\"temp_c\":18}").build())))
        .build());

    assertThat(text(second)).isEqualTo("It is 18 °C in Paris.");
    JsonNode messages = openAi.last().body().path("messages");
    JsonNode toolMessage = messages.get(messages.size() - 1);
    assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_a1");
    assertThat(messages.get(messages.size() - 2).path("tool_calls").get(0).path("function").path("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void anthropicUpstreamServesTheSameClient() {
    assertThat(text(client.messages().create(ask("claude-text").build()))).isEqualTo("Hello there!");
    assertThat(text(streamed(ask("claude-text").build()))).isEqualTo("Hello there!");
    assertThat(anthropic.last().body().path("system").toString()).contains("Be brief.");
  }

  @Test
  void geminiUpstreamServesTheSameClient() {
    assertThat(text(client.messages().create(ask("gemini-text").build()))).isEqualTo("Hello there!");
    assertThat(text(streamed(ask("gemini-text").build()))).isEqualTo("Hello there!");
    assertThat(gemini.last().body().path("systemInstruction").toString()).contains("Be brief.");

    for (Message message : List.of(client.messages().create(withWeatherTool("gemini-tools").build()),
        streamed(withWeatherTool("gemini-tools").build()))) {
      ToolUseBlock call = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
      assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    }
  }

  @ParameterizedTest(name = "{0} upstream")
  @ValueSource(strings = {"openai", "anthropic", "gemini"})
  void everyUpstreamAnswersTextAndStreams(String upstream) {
    assertThat(text(client.messages().create(ask(WeatherTool.mockModel(upstream, "text")).build()))).isEqualTo("Hello there!");
    Message streamedMessage = streamed(ask(WeatherTool.mockModel(upstream, "text")).build());
    assertThat(text(streamedMessage)).isEqualTo("Hello there!");
    assertThat(streamedMessage.stopReason()).contains(StopReason.END_TURN);
  }

  @ParameterizedTest(name = "{0} upstream")
  @ValueSource(strings = {"openai", "anthropic", "gemini"})
  void everyUpstreamCallsToolsStreamedOrNotAndTakesTheResultBack(String upstream) {
    String model = WeatherTool.mockModel(upstream, "tools");
    for (Message message : List.of(client.messages().create(withWeatherTool(model).build()),
        streamed(withWeatherTool(model).build()))) {
      ToolUseBlock call = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
      assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
    }
    Message first = client.messages().create(withWeatherTool(model).build());
    ToolUseBlock call = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
    Message second = client.messages().create(withWeatherTool(model)
        .addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(call.id()).content("{\"temp_c\":18}").build())))
        .build());
    assertThat(text(second)).isEqualTo("It is 18 °C in Paris.");
  }

  @ParameterizedTest(name = "{0} upstream")
  @ValueSource(strings = {"openai", "anthropic", "gemini"})
  void everyUpstreamsRejectionIsAnAnthropicBadRequest(String upstream) {
    assertThatThrownBy(() -> client.messages().create(ask(WeatherTool.mockModel(upstream, "400")).build()))
        .isInstanceOf(com.anthropic.errors.BadRequestException.class);
  }

  @Test
  void missingMaxTokensIsAnAnthropic400() throws Exception {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock-text\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(body.path("error").path("message").asText()).contains("max_tokens");
  }

  @Test
  void badKeyRaisesTheSdksAuthenticationError() {
    AnthropicClient wrong = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl())
        .apiKey("sk-not-a-key-000000000000000000000000000").maxRetries(0).build();

    assertThatThrownBy(() -> wrong.messages().create(ask("mock-text").build()))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void unknownModelIsAnAnthropicNotFound() {
    assertThatThrownBy(() -> client.messages().create(ask("no-such-model").build()))
        .isInstanceOfSatisfying(com.anthropic.errors.NotFoundException.class,
            e -> assertThat(e.getMessage()).contains("no-such-model"));
  }

  @Test
  void upstreamFailureIsAnAnthropicApiError() {
    assertThatThrownBy(() -> client.messages().create(ask("mock-500").build()))
        .isInstanceOfSatisfying(com.anthropic.errors.AnthropicServiceException.class,
            e -> assertThat(e.statusCode()).isEqualTo(502));
  }

  private static MessageCreateParams.Builder withWeatherTool(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(256)
        .addUserMessage("Weather in Paris?")
        .addTool(Tool.builder()
            .name("get_weather")
            .description("Current weather")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
            .build());
  }

}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.testing.WeatherTool;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official google-genai SDK against {@code /v1beta/models/{model}:…}, served by every kind of upstream. */
@UsesDatabase
class GeminiClientTest {

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockAnthropicUpstream anthropic;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;
  static Client client;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text", "mock-tools", "mock-500", "mock-400"), Map.of());
    gateway.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-text", "claude-tools", "claude-400"), Map.of());
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text", "gemini-tools", "gemini-400"), Map.of());
    key = gateway.createKey();
    client = Client.builder()
        .apiKey(key)
        // One attempt: retries with back-off would turn the server-error test into a long wait.
        .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
            .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
        .build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    anthropic.close();
    gemini.close();
  }

  private static GenerateContentConfig brief() {
    return GenerateContentConfig.builder()
        .systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
        .maxOutputTokens(128)
        .build();
  }

  private static String streamedText(String model) {
    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model, "Say hello", brief())) {
      for (GenerateContentResponse chunk : stream) {
        if (chunk.text() != null) {
          text.append(chunk.text());
        }
      }
    }
    return text.toString();
  }

  @Test
  void textFromEveryKindOfUpstream() {
    for (String model : List.of("mock-text", "claude-text", "gemini-text")) {
      GenerateContentResponse response = client.models.generateContent(model, "Say hello", brief());
      assertThat(response.text()).as(model).isEqualTo("Hello there!");
      assertThat(response.usageMetadata().orElseThrow().candidatesTokenCount()).as(model).contains(3);
    }
  }

  @Test
  void streamedTextFromEveryKindOfUpstream() {
    for (String model : List.of("mock-text", "claude-text", "gemini-text")) {
      assertThat(streamedText(model)).as(model).isEqualTo("Hello there!");
    }
  }

  @Test
  void systemInstructionBecomesTheUpstreamsSystemPrompt() {
    client.models.generateContent("mock-text", "Say hello", brief());
    JsonNode openAiMessages = openAi.last().body().path("messages");
    assertThat(openAiMessages.get(0).path("role").asText()).isEqualTo("system");
    assertThat(openAiMessages.get(0).path("content").asText()).isEqualTo("Be brief.");
    assertThat(openAi.last().body().path("max_tokens").asInt()).isEqualTo(128);

    client.models.generateContent("claude-text", "Say hello", brief());
    assertThat(anthropic.last().body().path("system").toString()).contains("Be brief.");
  }

  @Test
  void functionCallsFromOpenAiAndAnthropicUpstreams() {
    for (String model : List.of("mock-tools", "claude-tools", "gemini-tools")) {
      GenerateContentResponse response = client.models.generateContent(model, "Weather in Paris?", withWeatherTool());
      List<FunctionCall> calls = response.functionCalls();
      assertThat(calls).as(model).hasSize(1);
      assertThat(calls.get(0).name()).as(model).contains("get_weather");
      assertThat(calls.get(0).args().orElseThrow()).as(model).isEqualTo(Map.of("city", "Paris"));
    }
  }

  @Test
  void streamedFunctionCallArrivesWhole() {
    List<FunctionCall> calls = new ArrayList<>();
    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream("mock-tools", "Weather in Paris?", withWeatherTool())) {
      for (GenerateContentResponse chunk : stream) {
        if (chunk.functionCalls() != null) {
          calls.addAll(chunk.functionCalls());
        }
      }
    }
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).args().orElseThrow()).isEqualTo(Map.of("city", "Paris"));
  }

  @Test
  void functionResponseRoundTripThroughAnOpenAiUpstream() {
    GenerateContentResponse first = client.models.generateContent("mock-tools", "Weather in Paris?", withWeatherTool());
    FunctionCall call = first.functionCalls().get(0);
    List<Content> history = List.of(
        Content.builder().role("user").parts(List.of(Part.fromText("Weather in Paris?"))).build(),
        Content.builder().role("model").parts(List.of(Part.fromFunctionCall(call.name().orElseThrow(), call.args().orElseThrow()))).build(),
        Content.builder().role("user").parts(List.of(Part.fromFunctionResponse("get_weather", Map.of("temp_c", 18)))).build());

    GenerateContentResponse second = client.models.generateContent("mock-tools", history, withWeatherTool());

    assertThat(second.text()).isEqualTo("It is 18 °C in Paris.");
    JsonNode messages = openAi.last().body().path("messages");
    JsonNode toolMessage = messages.get(messages.size() - 1);
    assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(toolMessage.path("content").asText()).contains("18");
    assertThat(messages.get(messages.size() - 2).path("tool_calls").get(0).path("id").asText())
        .isEqualTo(toolMessage.path("tool_call_id").asText());
  }

  @ParameterizedTest(name = "{0} upstream")
  @ValueSource(strings = {"openai", "anthropic", "gemini"})
  void everyUpstreamStreamsFunctionCallsAndTakesTheResponseBack(String upstream) {
    String model = WeatherTool.mockModel(upstream, "tools");
    List<FunctionCall> streamedCalls = new ArrayList<>();
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model, "Weather in Paris?", withWeatherTool())) {
      for (GenerateContentResponse chunk : stream) {
        if (chunk.functionCalls() != null) {
          streamedCalls.addAll(chunk.functionCalls());
        }
      }
    }
    assertThat(streamedCalls).hasSize(1);
    assertThat(streamedCalls.get(0).args().orElseThrow()).isEqualTo(Map.of("city", "Paris"));

    FunctionCall call = client.models.generateContent(model, "Weather in Paris?", withWeatherTool()).functionCalls().get(0);
    List<Content> history = List.of(
        Content.builder().role("user").parts(List.of(Part.fromText("Weather in Paris?"))).build(),
        Content.builder().role("model").parts(List.of(Part.fromFunctionCall(call.name().orElseThrow(), call.args().orElseThrow()))).build(),
        Content.builder().role("user").parts(List.of(Part.fromFunctionResponse("get_weather", Map.of("temp_c", 18)))).build());
    assertThat(client.models.generateContent(model, history, withWeatherTool()).text()).isEqualTo("It is 18 °C in Paris.");
  }

  @ParameterizedTest(name = "{0} upstream")
  @ValueSource(strings = {"openai", "anthropic", "gemini"})
  void everyUpstreamsRejectionIsAGeminiClientError(String upstream) {
    assertThatThrownBy(() -> client.models.generateContent(WeatherTool.mockModel(upstream, "400"), "hi", brief()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void systemInstructionReachesAGeminiUpstream() {
    client.models.generateContent("gemini-text", "Say hello", brief());
    assertThat(gemini.last().body().path("systemInstruction").toString()).contains("Be brief.");
  }

  @Test
  void unknownModelIsAGeminiNotFound() {
    assertThatThrownBy(() -> client.models.generateContent("no-such-model", "hi", null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(404);
          assertThat(e.status()).isEqualTo("NOT_FOUND");
        });
  }

  @Test
  void upstreamFailureIsAGeminiServerError() {
    assertThatThrownBy(() -> client.models.generateContent("mock-500", "hi", null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isGreaterThanOrEqualTo(500));
  }

  @Test
  void keyInTheQueryStringIsAcceptedAndBadBodiesGetGeminiErrors() throws Exception {
    HttpResponse<String> response = Http.postJson(
        gateway.baseUrl() + "/v1beta/models/mock-text:generateContent?key=" + key, null, "{\"contents\": 5}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("error");
    assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("message").asText()).contains("contents");
  }

  @Test
  void streamWithoutAltSseIsOneJsonArray() throws Exception {
    HttpResponse<String> response = Http.postJson(
        gateway.baseUrl() + "/v1beta/models/mock-text:streamGenerateContent?key=" + key, null,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode chunks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    assertThat(chunks.isArray()).isTrue();
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> chunk.path("candidates").path(0).path("content").path("parts")
        .forEach(part -> text.append(part.path("text").asText())));
    assertThat(text.toString()).isEqualTo("Hello there!");
  }

  /** Anthropic has no response schema: the gateway forces a json_output call and tells its input as the text. */
  @Test
  void responseSchemaFromAnAnthropicUpstreamIsTheAnswersText() throws Exception {
    GenerateContentConfig json = GenerateContentConfig.builder()
        .responseMimeType("application/json")
        .responseSchema(Schema.builder().type(Type.Known.OBJECT)
            .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build(),
                "temp_c", Schema.builder().type(Type.Known.NUMBER).build()))
            .required("city", "temp_c")
            .build())
        .build();
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();

    GenerateContentResponse response = client.models.generateContent("claude-text", "Weather in Paris?", json);

    assertThat(mapper.readTree(response.text())).isEqualTo(mapper.readTree(MockAnthropicUpstream.FORCED_INPUT));
    assertThat(response.functionCalls()).as("the forced call is not shown as a function call").isNullOrEmpty();
    assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
    JsonNode sent = anthropic.last().body();
    assertThat(sent.path("tool_choice").path("name").asText()).isEqualTo("json_output");
    assertThat(sent.path("tools").get(0).path("input_schema").path("properties").path("temp_c").path("type").asText())
        .isEqualTo("number");

    StringBuilder streamed = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream("claude-text", "Weather in Paris?", json)) {
      for (GenerateContentResponse chunk : stream) {
        assertThat(chunk.functionCalls()).isNullOrEmpty();
        if (chunk.text() != null) {
          streamed.append(chunk.text());
        }
      }
    }
    assertThat(mapper.readTree(streamed.toString())).isEqualTo(mapper.readTree(MockAnthropicUpstream.FORCED_INPUT));
  }

  private static GenerateContentConfig withWeatherTool() {
    return GenerateContentConfig.builder()
        .tools(Tool.builder().functionDeclarations(FunctionDeclaration.builder()
            .name("get_weather")
            .description("Current weather")
            .parametersJsonSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))))
            .build()).build())
        .build();
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.testing.WeatherTool;
import dev.tollgate.usage.UsageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The openai-java SDK served by a Gemini upstream. */
@UsesDatabase
class OpenAiClientGeminiUpstreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockGeminiUpstream upstream;
  static TestGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel("gemini", upstream.baseUrl(), List.of("gemini-text", "gemini-tools", "gemini-400"), Map.of());
    client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(gateway.createKey())
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Say hello")
        .temperature(0.3).maxCompletionTokens(100);
  }

  @Test
  void textAnswerWithUsageInOpenAiTerms() {
    ChatCompletion completion = client.chat().completions().create(ask("gemini-text").build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there!");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
  }

  @Test
  void requestReachesGeminiInItsOwnShapeWithTheKeyInAHeader() {
    client.chat().completions().create(ask("gemini-text").build());

    JsonNode sent = upstream.last().body();
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-text:generateContent");
    assertThat(upstream.last().authorization()).as("x-goog-api-key").isEqualTo("sk-upstream-secret");
    assertThat(String.valueOf(upstream.lastQuery())).as("no key in the URL").doesNotContain("key=");
    assertThat(sent.path("systemInstruction").toString()).contains("Be brief.");
    assertThat(sent.path("contents").get(0).path("role").asText()).isEqualTo("user");
    assertThat(sent.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(100);
    assertThat(sent.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.3);
  }

  @Test
  void streamedTextEqualsTheConcatenatedDeltas() {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("gemini-text").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello there!");
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-text:streamGenerateContent");
  }

  @Test
  void functionCallBecomesAToolCallWithAnIdAndToolCallsFinish() throws Exception {
    ChatCompletion completion = client.chat().completions().create(WeatherTool.openAiRequest("gemini-tools").build());

    var call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(upstream.last().body().path("tools").get(0).path("functionDeclarations").get(0).path("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void streamedFunctionCallArrivesAsOneToolCall() throws Exception {
    StringBuilder arguments = new StringBuilder();
    List<String> names = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(WeatherTool.openAiRequest("gemini-tools").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().toolCalls().ifPresent(calls ->
          calls.forEach(call -> call.function().ifPresent(f -> {
            f.name().ifPresent(names::add);
            f.arguments().ifPresent(arguments::append);
          })))));
    }
    assertThat(names).containsExactly("get_weather");
    assertThat(JSON.readTree(arguments.toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
  }

  @Test
  void toolResultGoesBackAsAFunctionResponseNamedAfterTheCall() {
    ChatCompletion first = client.chat().completions().create(WeatherTool.openAiRequest("gemini-tools").build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    String callId = assistant.toolCalls().orElseThrow().get(0).asFunction().id();

    ChatCompletion second = client.chat().completions().create(WeatherTool.openAiRequest("gemini-tools")
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content("{\"temp_c\":18}").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("It is 18 °C in Paris.");
    JsonNode contents = upstream.last().body().path("contents");
    String last = contents.get(contents.size() - 1).toString();
    assertThat(last).contains("\"functionResponse\"").contains("\"get_weather\"").contains("18");
    assertThat(contents.get(contents.size() - 2).path("role").asText()).isEqualTo("model");
  }

  @Test
  void upstreamRejectionComesBackAsAnOpenAiBadRequest() {
    assertThatThrownBy(() -> client.chat().completions().create(ask("gemini-400").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("contents must not be empty"));
  }

  @Test
  void usageRecordCarriesTheConvertedCounts() {
    var raw = client.chat().completions().withRawResponse().create(ask("gemini-text").build());

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.tokensEstimated()).isFalse();
  }

}

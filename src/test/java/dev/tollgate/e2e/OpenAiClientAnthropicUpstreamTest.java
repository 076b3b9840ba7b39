package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.tollgate.testing.MockAnthropicUpstream;
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

/** The openai-java SDK served by an Anthropic upstream: the conversion a coding agent relies on. */
@UsesDatabase
class OpenAiClientAnthropicUpstreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockAnthropicUpstream upstream;
  static TestGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = new MockAnthropicUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel("anthropic", upstream.baseUrl(),
        List.of("claude-text", "claude-tools", "claude-400", "claude-529", "claude-cut"), Map.of());
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
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Say hello");
  }

  @Test
  void textAnswerWithUsageInOpenAiTerms() {
    ChatCompletion completion = client.chat().completions().create(ask("claude-text").build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there!");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).as("input + cache read + cache write").isEqualTo(11);
    assertThat(usage.completionTokens()).isEqualTo(3);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(4L);
  }

  @Test
  void requestReachesAnthropicInItsOwnShape() {
    client.chat().completions().create(ask("claude-text").build());

    JsonNode sent = upstream.last().body();
    assertThat(upstream.last().path()).isEqualTo("/v1/messages");
    assertThat(upstream.last().authorization()).as("x-api-key").isEqualTo("sk-upstream-secret");
    assertThat(sent.path("system").toString()).contains("Be brief.");
    assertThat(sent.path("max_tokens").asInt()).isPositive();
    assertThat(sent.path("messages")).hasSize(1);
    assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("user");
  }

  @Test
  void streamedTextEqualsTheConcatenatedDeltasWithUsageWhenAsked() {
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams params = ask("claude-text")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      });
    }
    assertThat(text.toString()).isEqualTo("Hello there!");
    assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(choice ->
        assertThat(choice.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP)));
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(upstream.last().body().path("stream").asBoolean()).isTrue();
  }

  @Test
  void toolCallArrivesWithNameParsedArgumentsAndToolCallsFinish() throws Exception {
    ChatCompletion completion = client.chat().completions().create(WeatherTool.openAiRequest("claude-tools").build());

    var message = completion.choices().get(0).message();
    var call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isEqualTo("toolu_01");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(upstream.last().body().path("tools").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
  }

  @Test
  void streamedToolArgumentsAssembleIntoTheSameJson() throws Exception {
    StringBuilder arguments = new StringBuilder();
    List<String> names = new ArrayList<>();
    List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(WeatherTool.openAiRequest("claude-tools").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
        choice.finishReason().ifPresent(finishes::add);
        choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function().ifPresent(f -> {
          f.name().ifPresent(names::add);
          f.arguments().ifPresent(arguments::append);
        })));
      }));
    }
    assertThat(names).containsExactly("get_weather");
    assertThat(JSON.readTree(arguments.toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void toolResultGoesBackAsAToolResultBlock() {
    ChatCompletion first = client.chat().completions().create(WeatherTool.openAiRequest("claude-tools").build());
    ChatCompletionMessage assistant = first.choices().get(0).message();

    ChatCompletion second = client.chat().completions().create(WeatherTool.openAiRequest("claude-tools")
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("toolu_01").content("{\"temp_c\":18}").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("It is 18 °C in Paris.");
    JsonNode messages = upstream.last().body().path("messages");
    JsonNode assistantTurn = messages.get(messages.size() - 2);
    assertThat(assistantTurn.path("role").asText()).isEqualTo("assistant");
    assertThat(assistantTurn.toString()).contains("\"tool_use\"").contains("toolu_01");
    JsonNode resultTurn = messages.get(messages.size() - 1);
    assertThat(resultTurn.path("role").asText()).isEqualTo("user");
    assertThat(resultTurn.path("content").get(0).path("type").asText()).isEqualTo("tool_result");
    assertThat(resultTurn.path("content").get(0).path("tool_use_id").asText()).isEqualTo("toolu_01");
  }

  /** A JSON schema answer: Anthropic is made to call json_output, and the mock answers that call. */
  private static ChatCompletionCreateParams.Builder askForWeatherJson() {
    return ask("claude-text").responseFormat(ResponseFormatJsonSchema.builder()
        .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
            .name("weather")
            .strict(true)
            .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "city", Map.of("type", "string"), "temp_c", Map.of("type", "number"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city", "temp_c")))
                .build())
            .build())
        .build());
  }

  @Test
  void jsonSchemaAnswerIsTheMessageContentWithStopFinish() throws Exception {
    ChatCompletion completion = client.chat().completions().create(askForWeatherJson().build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(JSON.readTree(choice.message().content().orElseThrow()))
        .isEqualTo(JSON.readTree(MockAnthropicUpstream.FORCED_INPUT));
    assertThat(choice.message().toolCalls().orElse(List.of())).isEmpty();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    JsonNode sent = upstream.last().body();
    assertThat(sent.path("tool_choice").path("name").asText()).isEqualTo("json_output");
    assertThat(sent.path("tools").get(0).path("input_schema").path("required").toString()).contains("temp_c");
  }

  @Test
  void streamedJsonSchemaAnswerIsTheConcatenatedContentWithStopFinish() throws Exception {
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
    boolean[] toolCalls = {false};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(askForWeatherJson().build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> {
        choice.delta().content().ifPresent(text::append);
        choice.finishReason().ifPresent(finishes::add);
        choice.delta().toolCalls().ifPresent(calls -> toolCalls[0] |= !calls.isEmpty());
      }));
    }
    assertThat(JSON.readTree(text.toString())).isEqualTo(JSON.readTree(MockAnthropicUpstream.FORCED_INPUT));
    assertThat(toolCalls[0]).as("the forced call is not shown as a tool call").isFalse();
    assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    assertThat(upstream.last().body().path("stream").asBoolean()).isTrue();
  }

  @Test
  void upstreamRejectionComesBackAsAnOpenAiBadRequest() {
    assertThatThrownBy(() -> client.chat().completions().create(ask("claude-400").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("roles must alternate"));
  }

  @Test
  void overloadedUpstreamIsAGatewayErrorNot529() {
    assertThatThrownBy(() -> client.chat().completions().create(ask("claude-529").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
  }

  @Test
  void streamCutMidAnswerRaisesInTheSdk() {
    assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("claude-cut").build())) {
        stream.stream().forEach(chunk -> {});
      }
    }).isInstanceOf(RuntimeException.class);
  }

  @Test
  void usageRecordCarriesTheConvertedCounts() {
    var raw = client.chat().completions().withRawResponse().create(ask("claude-text").build());

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.tokensEstimated()).isFalse();
    assertThat(record.modelUsed()).isEqualTo("claude-text");
  }

}

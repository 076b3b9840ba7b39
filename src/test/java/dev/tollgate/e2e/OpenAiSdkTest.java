package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.testing.WeatherTool;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.usage.UsageRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official openai-java SDK, pointed at the gateway by base URL and key only. */
@UsesDatabase
class OpenAiSdkTest {

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text", "mock-tools", "gpt-4.1"), Map.of("gpt-4.1", "mock-text"));
    client = sdk(gateway.createKey());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  static OpenAIClient sdk(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static ChatCompletionCreateParams.Builder ask(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello");
  }

  @Test
  void nonStreamingAnswerArrivesWithUsage() {
    ChatCompletion completion = client.chat().completions().create(ask("mock-text").build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there!");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
    assertThat(upstream.last().authorization()).isEqualTo("Bearer sk-upstream-secret");
  }

  @Test
  void streamedTextEqualsConcatenatedDeltas() {
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask("mock-text").build())) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      });
    }
    assertThat(text.toString()).isEqualTo("Hello there!");
    assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).as("no usage-only chunk the client did not ask for").isNotEmpty());
    assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
        .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean())
        .as("the gateway asks the upstream for usage").isTrue();
  }

  @Test
  void streamKeepsTheUsageChunkWhenTheClientAsksForIt() {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams params = ask("mock-text")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(14);
  }

  @Test
  void toolCallComesBackWithNameAndJsonArguments() {
    ChatCompletion completion = client.chat().completions().create(WeatherTool.openAiRequest("mock-tools").build());

    ChatCompletionMessageFunctionToolCall call =
        completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(upstream.last().body().path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void streamedToolArgumentsAssembleIntoValidJson() {
    StringBuilder arguments = new StringBuilder();
    List<String> names = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(WeatherTool.openAiRequest("mock-tools").build())) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().toolCalls().ifPresent(calls ->
          calls.forEach(call -> call.function().ifPresent(f -> {
            f.name().ifPresent(names::add);
            f.arguments().ifPresent(arguments::append);
          })))));
    }
    assertThat(names).containsExactly("get_weather");
    assertThat(arguments.toString()).isEqualTo("{\"city\":\"Paris\"}");
  }

  @Test
  void toolResultRoundTripReachesTheUpstream() {
    ChatCompletion first = client.chat().completions().create(WeatherTool.openAiRequest("mock-tools").build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    String callId = assistant.toolCalls().orElseThrow().get(0).asFunction().id();

    ChatCompletion second = client.chat().completions().create(WeatherTool.openAiRequest("mock-tools")
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(callId).content("{\"temp_c\":18}").build())
        .build());

    assertThat(second.choices().get(0).message().content()).contains("It is 18 °C in Paris.");
    var sent = upstream.last().body().path("messages");
    assertThat(sent.get(sent.size() - 1).path("role").asText()).isEqualTo("tool");
    assertThat(sent.get(sent.size() - 1).path("tool_call_id").asText()).isEqualTo("call_a1");
    assertThat(sent.get(sent.size() - 2).path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
  }

  @Test
  void modelMappingRewritesOnlyTheModelName() {
    ChatCompletion completion = client.chat().completions().create(ask("gpt-4.1").temperature(0.5).build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there!");
    assertThat(upstream.last().body().path("model").asText()).isEqualTo("mock-text");
    assertThat(upstream.last().body().path("temperature").asDouble()).isEqualTo(0.5);
  }

  @Test
  void modelListShowsTheKeysModelsWithProviderKind() {
    List<Model> models = client.models().list().data();

    assertThat(models).extracting(Model::id).containsExactly("gpt-4.1", "mock-text", "mock-tools");
    assertThat(models).allSatisfy(m -> assertThat(m.ownedBy()).isEqualTo("openai"));
  }

  @Test
  void oneModelIsRetrievedByIdAndAnUnknownOneIsNotFound() {
    Model model = client.models().retrieve(com.openai.models.models.ModelRetrieveParams.builder().model("gpt-4.1").build());
    assertThat(model.id()).isEqualTo("gpt-4.1");
    assertThat(model.ownedBy()).isEqualTo("openai");

    assertThatThrownBy(() -> client.models().retrieve(
        com.openai.models.models.ModelRetrieveParams.builder().model("no-such-model").build()))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
  }

  @Test
  void modelListOfARestrictedKeyShowsOnlyItsModels() {
    OpenAIClient restricted = sdk(gateway.createKey("restricted", null, Set.of("mock-text")));

    assertThat(restricted.models().list().data()).extracting(Model::id).containsExactly("mock-text");
  }

  @Test
  void badKeyRaisesTheSdksAuthenticationError() {
    OpenAIClient wrong = sdk("sk-this-key-does-not-exist-0000000000000000");

    assertThatThrownBy(() -> wrong.chat().completions().create(ask("mock-text").build()))
        .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(401);
          assertThat(e.body().toString()).contains("invalid_api_key");
        });
  }

  @Test
  void modelOutsideTheKeysListIsForbidden() {
    OpenAIClient restricted = sdk(gateway.createKey("restricted2", null, Set.of("mock-text")));

    assertThatThrownBy(() -> restricted.chat().completions().create(ask("mock-tools").build()))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void everyRequestLeavesAUsageRecord() {
    var raw = client.chat().completions().withRawResponse().create(ask("mock-text").build());
    String requestId = raw.headers().values("x-request-id").get(0);

    UsageRecord record = Records.await(gateway, requestId);
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.tokensEstimated()).isFalse();
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.modelRequested()).isEqualTo("mock-text");
    assertThat(record.stream()).isFalse();
  }

}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token counting and model lists in the Anthropic and Gemini shapes. */
@UsesDatabase
class TokensAndModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockAnthropicUpstream anthropic;
  static TestGateway gateway;
  static String key;
  static AnthropicClient claude;
  static Client genai;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text"), Map.of());
    gateway.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-text"), Map.of());
    key = gateway.createKey();
    claude = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).apiKey(key).maxRetries(0).build();
    genai = Client.builder().apiKey(key).httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
        .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build()).build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    anthropic.close();
  }

  @Test
  void countTokensIsAskedOfAnAnthropicChannelWhenOneServesTheModel() {
    long tokens = claude.messages().countTokens(MessageCountTokensParams.builder()
        .model("claude-text").addUserMessage("Hello there").build()).inputTokens();

    assertThat(tokens).isEqualTo(42);
    assertThat(anthropic.last().path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(anthropic.last().headers()).containsEntry("x-api-key", "sk-upstream-secret");
  }

  @Test
  void countTokensIsEstimatedForOtherUpstreams() {
    long shortCount = claude.messages().countTokens(MessageCountTokensParams.builder()
        .model("mock-text").addUserMessage("Hi").build()).inputTokens();
    long longCount = claude.messages().countTokens(MessageCountTokensParams.builder()
        .model("mock-text").system("You are a careful assistant.").addUserMessage("Hi ".repeat(200)).build()).inputTokens();

    assertThat(shortCount).isPositive();
    assertThat(longCount).isGreaterThan(shortCount + 150);
  }

  @Test
  void geminiCountTokensIsEstimated() {
    CountTokensResponse response = genai.models.countTokens("mock-text", "Hello there, how are you today?", null);

    assertThat(response.totalTokens()).hasValueSatisfying(n -> assertThat(n).isBetween(5, 20));
  }

  @Test
  void anthropicSdkListsModelsInItsShape() {
    List<String> ids = new ArrayList<>();
    claude.models().list().autoPager().forEach(model -> ids.add(model.id()));

    assertThat(ids).containsExactly("claude-text", "mock-text");
    ModelInfo one = claude.models().retrieve("claude-text");
    assertThat(one.id()).isEqualTo("claude-text");
  }

  @Test
  void geminiModelListHasModelNamesAndMethods() throws Exception {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models"))
        .header("x-goog-api-key", key).GET().build());

    JsonNode models = JSON.readTree(response.body()).path("models");
    Set<String> names = new java.util.TreeSet<>();
    models.forEach(m -> names.add(m.path("name").asText()));
    assertThat(names).containsExactly("models/claude-text", "models/mock-text");
    assertThat(models.get(0).path("supportedGenerationMethods").toString()).contains("generateContent");

    HttpResponse<String> missing = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/nope"))
        .header("x-goog-api-key", key).GET().build());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).path("error").path("status").asText()).isEqualTo("NOT_FOUND");
  }
}

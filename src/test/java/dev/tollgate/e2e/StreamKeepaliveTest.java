package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a client stream is open and the upstream is silent, the gateway writes {@code :
 * keepalive} after every second without a byte (configured: 1 s here; the upstream pauses
 * {@link MockOpenAiUpstream#PAUSE_MS} mid-answer) — only between whole events, in passthrough and
 * converted streams alike — and every SDK still reads the answer.
 */
@UsesDatabase
class StreamKeepaliveTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEEPALIVE = ": keepalive\n\n";

  @TempDir static Path dataDir;
  @TempDir static Path offDataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static TestGateway withoutKeepalives;
  static String key;
  static String offKey;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.withKeepalive(dataDir, 1, 5_000);
    withoutKeepalives = TestGateway.withKeepalive(offDataDir, 0, 5_000);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-pause"), Map.of());
    withoutKeepalives.addChannel(upstream.baseUrl(), List.of("mock-pause"), Map.of());
    key = gateway.createKey();
    offKey = withoutKeepalives.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    withoutKeepalives.close();
    upstream.close();
  }

  private static String openAiStream(TestGateway at, String apiKey) {
    HttpResponse<String> response = Http.postJson(at.baseUrl() + "/v1/chat/completions", apiKey, Http.chat("mock-pause", true));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Each keepalive follows a complete event (or opens the stream) and is a block of its own. */
  private static void assertKeepalivesBetweenEvents(String body, int atLeast) {
    int count = 0;
    for (int at = body.indexOf(KEEPALIVE); at >= 0; at = body.indexOf(KEEPALIVE, at + 1)) {
      count++;
      String before = body.substring(0, at);
      assertThat(before.isEmpty() || before.endsWith("\n\n") || before.endsWith("\r\n\r\n"))
          .as("keepalive %d follows a whole event in:%n%s", count, body).isTrue();
    }
    assertThat(count).as(body).isGreaterThanOrEqualTo(atLeast);
  }

  @Test
  void aPassthroughStreamGetsKeepalivesBetweenEventsWhileTheUpstreamIsSilent() {
    String body = openAiStream(gateway, key);

    assertKeepalivesBetweenEvents(body, 1);
    assertThat(body).contains("\"content\":\"Hel\"").contains("\"content\":\"lo\"").endsWith("data: [DONE]\n\n");
  }

  @Test
  void theOpenAiSdkReadsAStreamWithKeepalives() {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1").apiKey(key).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    StringBuilder text = new StringBuilder();

    try (var stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("mock-pause").addUserMessage("Say hello").build())) {
      stream.stream().forEach((ChatCompletionChunk chunk) -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }

    assertThat(text.toString()).isEqualTo("Hello");
  }

  @Test
  void aConvertedStreamGetsKeepalivesAndTheAnthropicSdkReadsIt() {
    HttpResponse<String> raw = Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"mock-pause\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
    assertKeepalivesBetweenEvents(raw.body(), 1);

    AnthropicClient client = AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl()).apiKey(key).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (var stream = client.messages().createStreaming(
        MessageCreateParams.builder().model("mock-pause").maxTokens(64).addUserMessage("hi").build())) {
      stream.stream().forEach((RawMessageStreamEvent event) -> accumulator.accumulate(event));
    }
    assertThat(accumulator.message().content().get(0).text().orElseThrow().text()).isEqualTo("Hello");
  }

  @Test
  void aGeminiSseStreamGetsCommentsAndTheGenAiSdkReadsIt() {
    Client client = Client.builder().apiKey(key)
        .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
            .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
        .build();
    StringBuilder text = new StringBuilder();

    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream("mock-pause", "hi", null)) {
      for (GenerateContentResponse chunk : stream) {
        if (chunk.text() != null) {
          text.append(chunk.text());
        }
      }
    }

    assertThat(text.toString()).isEqualTo("Hello");
    assertKeepalivesBetweenEvents(geminiStream("?alt=sse"), 1);
  }

  @Test
  void aGeminiJsonArrayStreamGetsWhitespaceAndStaysValidJson() throws Exception {
    String body = geminiStream("");

    assertThat(body).doesNotContain("keepalive");
    assertThat(Pattern.compile("(?<!\r)\n").matcher(body).results().count()).as("bare newlines in%n%s", body)
        .isGreaterThanOrEqualTo(1);
    JsonNode chunks = JSON.readTree(body);
    assertThat(chunks.isArray()).isTrue();
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> chunk.at("/candidates/0/content/parts").forEach(part -> text.append(part.path("text").asText())));
    assertThat(text.toString()).isEqualTo("Hello");
  }

  private static String geminiStream(String query) {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
            URI.create(gateway.baseUrl() + "/v1beta/models/mock-pause:streamGenerateContent" + query))
        .header("x-goog-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"))
        .build());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void withKeepalivesOffASilentUpstreamMeansASilentStream() {
    String body = openAiStream(withoutKeepalives, offKey);

    assertThat(body).doesNotContain("keepalive").endsWith("data: [DONE]\n\n");
  }
}

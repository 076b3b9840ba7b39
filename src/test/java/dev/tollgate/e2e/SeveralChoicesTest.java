package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI {@code n} and Gemini {@code candidateCount} above 1: converted streams carry one choice,
 * so streaming several through a conversion is a 400 before any upstream call; without streaming,
 * and on a same-protocol passthrough, they go through.
 */
@UsesDatabase
class SeveralChoicesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text"), Map.of());
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text"), Map.of());
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    gemini.close();
  }

  private static HttpResponse<String> openAiClient(String model, boolean stream) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"n\":2,\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static HttpResponse<String> geminiClient(String model, String action) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/" + model + ":" + action))
        .header("x-goog-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"candidateCount\":2}}"))
        .build());
  }

  @Test
  void anOpenAiStreamForTwoChoicesFromGeminiIsA400NamingNAndGeminiIsNotCalled() throws Exception {
    int calls = gemini.receivedCount();

    HttpResponse<String> response = openAiClient("gemini-text", true);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("param").asText()).isEqualTo("n");
    assertThat(error.path("message").asText()).contains("cannot be streamed");
    assertThat(gemini.receivedCount()).isEqualTo(calls);
  }

  @Test
  void anOpenAiRequestForTwoChoicesWithoutStreamingReachesGeminiAsCandidateCount() {
    HttpResponse<String> response = openAiClient("gemini-text", false);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gemini.last().body().at("/generationConfig/candidateCount").asInt()).isEqualTo(2);
  }

  @Test
  void aGeminiStreamForTwoCandidatesFromAnOpenAiUpstreamIsA400() throws Exception {
    HttpResponse<String> response = geminiClient("mock-text", "streamGenerateContent?alt=sse");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("candidateCount");
  }

  @Test
  void aGeminiStreamForTwoCandidatesPassesThroughToGeminiButNotAsAConvertedJsonArray() {
    assertThat(geminiClient("gemini-text", "streamGenerateContent?alt=sse").statusCode()).as("passthrough").isEqualTo(200);
    assertThat(gemini.last().body().at("/generationConfig/candidateCount").asInt()).isEqualTo(2);

    assertThat(geminiClient("gemini-text", "streamGenerateContent").statusCode()).as("JSON array, re-encoded").isEqualTo(400);
  }

  @Test
  void anOpenAiStreamForTwoChoicesFromAnOpenAiUpstreamPassesThrough() {
    HttpResponse<String> response = openAiClient("mock-text", true);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(openAi.last().body().path("n").asInt()).isEqualTo(2);
  }
}

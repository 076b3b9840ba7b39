package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.Http;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad requests get the right status in the caller's own error shape, never a 500. */
@UsesDatabase
class BadInputPerProtocolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static String key;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text"), Map.of());
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static HttpResponse<String> anthropic(String body, String contentType) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("content-type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> gemini(String modelAndAction, String body) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1beta/models/" + modelAndAction))
        .header("x-goog-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON | {\"model\": | 400 | invalid_request_error",
      "messages not an array | {\"model\":\"mock-text\",\"max_tokens\":9,\"messages\":{}} | 400 | invalid_request_error",
      "missing model | {\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_request_error",
      "max_tokens of the wrong type | {\"model\":\"mock-text\",\"max_tokens\":\"9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 400 | invalid_request_error",
      "unknown model | {\"model\":\"nope\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | 404 | not_found_error"})
  void anthropicBadInput(String what, String body, int status, String type) throws Exception {
    HttpResponse<String> response = anthropic(body, "application/json");

    assertThat(response.statusCode()).as(what).isEqualTo(status);
    JsonNode json = JSON.readTree(response.body());
    assertThat(json.path("type").asText()).isEqualTo("error");
    assertThat(json.path("error").path("type").asText()).as(what).isEqualTo(type);
    assertThat(json.path("error").path("message").asText()).isNotBlank().doesNotContain("Exception");
  }

  @Test
  void anthropicNonJsonContentTypeIs400() throws Exception {
    HttpResponse<String> response = anthropic("{}", "text/plain");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON | mock-text:generateContent | {\"contents\": | 400 | INVALID_ARGUMENT",
      "missing contents | mock-text:generateContent | {} | 400 | INVALID_ARGUMENT",
      "parts of the wrong type | mock-text:generateContent | {\"contents\":[{\"role\":\"user\",\"parts\":\"hi\"}]} | 400 | INVALID_ARGUMENT",
      "unknown model | nope:generateContent | {\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]} | 404 | NOT_FOUND",
      "unknown action | mock-text:embedEverything | {\"contents\":[]} | 404 | NOT_FOUND"})
  void geminiBadInput(String what, String target, String body, int status, String code) throws Exception {
    HttpResponse<String> response = gemini(target, body);

    assertThat(response.statusCode()).as(what).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("status").asText()).as(what).isEqualTo(code);
    assertThat(error.path("code").asInt()).isEqualTo(status);
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
  }

  @Test
  void geminiBadKeyIsAGeminiError() throws Exception {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(
            URI.create(gateway.baseUrl() + "/v1beta/models/mock-text:generateContent"))
        .header("x-goog-api-key", "sk-nope-nope-nope-nope-nope-nope-nope-nope").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}")).build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
  }
}

package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.App;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.Money;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error of the relay, as raw HTTP: status, OpenAI error shape, code and a clear message. */
@UsesDatabase
class RelayErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static String key;
  static String url;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text", "mock-500", "mock-400", "mock-429", "mock-hang", "mock-garbage",
        "mock-priced"), Map.of("mock-priced", "mock-text"));
    // Every other model is free here (TestGateway); this one is sold, so quota applies to it.
    new PriceRepository(gateway.app().stores().sql(), Clock.systemUTC()).put(ModelPrice.tokens("mock-priced", 100_000_000L, 100_000_000L));
    gateway.app().prices().reload();
    gateway.addChannel("http://127.0.0.1:" + MockOpenAiUpstream.freePort() + "/v1", List.of("unreachable"), Map.of());
    key = gateway.createKey();
    url = gateway.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** Asserts the OpenAI error shape and returns its {@code error} object. */
  private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("param")).isTrue();
    return error;
  }

  @Test
  void missingKeyIs401() throws Exception {
    error(Http.postJson(url, null, chat("mock-text", false)), 401, "invalid_api_key");
  }

  @Test
  void unknownKeyIs401() throws Exception {
    error(Http.postJson(url, "sk-unknownunknownunknownunknownunknown", chat("mock-text", false)), 401, "invalid_api_key");
  }

  @Test
  void keyInXApiKeyHeaderIsAccepted() {
    HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(url))
        .header("x-api-key", key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chat("mock-text", false))).build());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void expiredKeyIs401() throws Exception {
    String expired = gateway.app().stores().keyService()
        .create(gateway.app().stores().root().id(), "expired", null, null, Instant.now().minusSeconds(1)).key();
    error(Http.postJson(url, expired, chat("mock-text", false)), 401, "invalid_api_key");
  }

  @Test
  void disabledKeyIsRejectedWithin1s() throws Exception {
    var created = gateway.app().stores().keyService().create(gateway.app().stores().root().id(), "to-disable", null, null, null);
    assertThat(Http.postJson(url, created.key(), chat("mock-text", false)).statusCode()).isEqualTo(200);

    // As the CLI would, from another process: straight to the database, no cache invalidation.
    gateway.app().stores().keys().setStatus(created.stored().id(), KeyStatus.DISABLED);
    long disabledAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - disabledAt < 3_000_000_000L) {
      status = Http.postJson(url, created.key(), chat("mock-text", false)).statusCode();
    }
    long tookMs = (System.nanoTime() - disabledAt) / 1_000_000;
    assertThat(status).isEqualTo(401);
    assertThat(tookMs).isLessThanOrEqualTo(1_000);
  }

  @Test
  void exhaustedQuotaIs402() throws Exception {
    App.Stores stores = gateway.app().stores();
    stores.users().creditQuota(stores.root().id(), Money.centsToMicros(100), "admin", "test", null);
    String broke = gateway.createKey("broke", 0L, null);
    JsonNode error = error(Http.postJson(url, broke, chat("mock-priced", false)), 402, "quota_exceeded");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("API key's quota").contains("0 cents left");
  }

  @Test
  void modelNoChannelServesIs404() throws Exception {
    JsonNode error = error(Http.postJson(url, key, chat("no-such-model", false)), 404, "model_not_found");
    assertThat(error.path("message").asText()).contains("no-such-model");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    JsonNode error = error(Http.postJson(url, key, "{\"model\": \"mock-text\", \"messages\": ["), 400, "invalid_request");
    assertThat(error.path("message").asText()).contains("not valid JSON");
  }

  @Test
  void missingModelIs400NamingIt() throws Exception {
    JsonNode error = error(Http.postJson(url, key, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "invalid_request");
    assertThat(error.path("param").asText()).isEqualTo("model");
  }

  @Test
  void missingMessagesIs400NamingIt() throws Exception {
    JsonNode error = error(Http.postJson(url, key, "{\"model\":\"mock-text\"}"), 400, "invalid_request");
    assertThat(error.path("param").asText()).isEqualTo("messages");
  }

  @Test
  void wrongTypeIs400NamingTheField() throws Exception {
    JsonNode error = error(Http.postJson(url, key,
        "{\"model\":\"mock-text\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":\"ten\"}"), 400, "invalid_request");
    assertThat(error.path("param").asText()).isEqualTo("max_tokens");
    assertThat(error.path("message").asText()).contains("integer");
  }

  @Test
  void nonJsonContentTypeIs400() throws Exception {
    JsonNode error = error(Http.post(url, key, "text/plain", chat("mock-text", false)), 400, "invalid_request");
    assertThat(error.path("message").asText()).contains("application/json");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String huge = "{\"model\":\"mock-text\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70 * 1024) + "\"}]}";
    error(Http.postJson(url, key, huge), 413, "request_too_large");
  }

  @Test
  void upstream5xxIs502() throws Exception {
    error(Http.postJson(url, key, chat("mock-500", false)), 502, "upstream_error");
  }

  @Test
  void upstreamGarbageIs502() throws Exception {
    error(Http.postJson(url, key, chat("mock-garbage", false)), 502, "upstream_error");
  }

  @Test
  void upstream4xxPassesThroughAsSent() {
    HttpResponse<String> response = Http.postJson(url, key, chat("mock-400", false));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo(
        "{\"error\":{\"message\":\"mock: temperature out of range\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}");
  }

  @Test
  void upstream429PassesThroughWithItsRetryAfter() {
    HttpResponse<String> response = Http.postJson(url, key, chat("mock-429", false));
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests"))
        .as("the upstream account's limits are not the client's").isEmpty();
    assertThat(response.body()).contains("rate_limit_exceeded");
  }

  @Test
  void modelOutsideTheKeysListIs403() throws Exception {
    String restricted = gateway.createKey("only-text", null, java.util.Set.of("mock-text"));
    JsonNode error = error(Http.postJson(url, restricted, chat("mock-500", false)), 403, "forbidden");
    assertThat(error.path("message").asText()).contains("mock-500");
  }

  @Test
  void upstreamThatNeverAnswersIs504AfterTheFirstByteTimeout() throws Exception {
    long start = System.nanoTime();
    error(Http.postJson(url, key, chat("mock-hang", false)), 504, "upstream_timeout");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMs).isBetween(1_400L, 4_000L);
  }

  @Test
  void unreachableChannelIs503() throws Exception {
    error(Http.postJson(url, key, chat("unreachable", false)), 503, "no_available_node");
  }

  @Test
  void errorBeforeTheFirstByteFailsOverToTheNextChannel() {
    gateway.addChannel("http://127.0.0.1:" + MockOpenAiUpstream.freePort() + "/v1", List.of("fo-model"), Map.of("fo-model", "mock-text"));
    gateway.addChannel(upstream.baseUrl(), List.of("fo-model"), Map.of("fo-model", "mock-500"));
    gateway.addChannel(upstream.baseUrl(), List.of("fo-model"), Map.of("fo-model", "mock-text"));
    // Three channels, two broken: every request must still succeed within MAX_ATTEMPTS = 3.
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = Http.postJson(url, key, chat("fo-model", false));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("Hello there!");
    }
  }

  @Test
  void unknownRouteIs404InOpenAiShape() throws Exception {
    error(Http.get(gateway.baseUrl() + "/v1/nothing-here", key), 404, "not_found");
  }

  @Test
  void healthAnswersWithoutAKey() {
    HttpResponse<String> response = Http.get(gateway.baseUrl() + "/health", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void rejectedRequestsOfAKnownKeyAreMeteredAsFree() throws Exception {
    HttpResponse<String> response = Http.postJson(url, key, chat("mock-500", false));
    UsageRecord record = Records.await(gateway, response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.status()).isEqualTo(502);
    assertThat(record.errorCode()).isEqualTo("upstream_error");
    assertThat(record.promptTokens() + record.completionTokens()).isZero();
  }
}

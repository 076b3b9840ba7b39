package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.account.KeyService;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.limit.Plan;
import dev.tollgate.limit.PlanRepository;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans' limits on the relay: 429 with Retry-After and the x-ratelimit-* headers, in each
 * protocol. Runs on this node's own counters; {@link RedisRateLimitTest} runs it again on Redis.
 */
@UsesDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  MockOpenAiUpstream upstream;
  TestGateway gateway;

  /** The gateway's configuration on top of the tests' own. */
  UnaryOperator<TollgateConfig> configuration() {
    return UnaryOperator.identity();
  }

  @BeforeAll
  void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, configuration());
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text", "mock-slow"), Map.of());
    gateway.app().stores().sql().update("INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at)"
        + " VALUES ('small-tpm', 0, 0, 1000, 0, 1, 1)");
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstream.close();
  }

  long plan(String name) {
    return new PlanRepository(gateway.app().stores().sql()).list().stream().filter(p -> p.name().equals(name))
        .mapToLong(Plan::id).findFirst().orElseThrow();
  }

  String keyOnPlan(String planName) {
    gateway.app().plans().reload();
    return gateway.app().stores().keyService().create(gateway.app().stores().root().id(),
        new KeyService.Settings("limited", null, null, null, null, plan(planName))).key();
  }

  HttpResponse<String> chat(String key, String body) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, body);
  }

  @Test
  void theFreePlanAdmitsTwoAtOnceThenAnswers429WithRetryAfterAndHeaders() throws Exception {
    String key = keyOnPlan("free");
    HttpResponse<String> first = chat(key, Http.chat("mock-text", false));
    HttpResponse<String> second = chat(key, Http.chat("mock-text", false));
    HttpResponse<String> third = chat(key, Http.chat("mock-text", false));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).contains("20");
    assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("19");
    assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).contains("3s");
    assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("40000");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("retry-after")).contains("1");
    JsonNode error = JSON.readTree(third.body()).path("error");
    assertThat(error.path("message").asText()).contains("2 requests per second");
    assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).as("told on refusals too").isPresent();
  }

  @Test
  void refusalsComeInTheCallersProtocol() throws Exception {
    String key = keyOnPlan("free");
    chat(key, Http.chat("mock-text", false));
    chat(key, Http.chat("mock-text", false));

    HttpResponse<String> anthropic = Http.postJson(gateway.baseUrl() + "/v1/messages", key,
        "{\"model\":\"mock-text\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> gemini = Http.postJson(gateway.baseUrl() + "/v1beta/models/mock-text:generateContent", key,
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

    assertThat(anthropic.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(gemini.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(gemini.body()).path("error").path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
  }

  @Test
  void largeRequestsAreStoppedByTokensPerMinuteBeforeReachingTheUpstream() throws Exception {
    String key = keyOnPlan("small-tpm");
    upstream.holdSlow();
    // A stream that may produce 600 tokens stays in flight: its tokens are counted until it ends.
    HttpResponse<java.io.InputStream> inFlight = Http.client().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"mock-slow\",\"stream\":true,\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(inFlight.statusCode()).isEqualTo(200);
    int before = upstream.receivedCount();

    HttpResponse<String> refused = chat(key,
        "{\"model\":\"mock-text\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> tooLarge = chat(key,
        "{\"model\":\"mock-text\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("1000 tokens per minute");
    assertThat(Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
    assertThat(tooLarge.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(tooLarge.body()).path("error").path("message").asText()).contains("more than the key's whole limit");
    assertThat(tooLarge.headers().firstValue("retry-after")).as("waiting would not help").isEmpty();
    assertThat(upstream.receivedCount() - before).as("neither reached the upstream").isZero();

    upstream.releaseSlow();
    inFlight.body().readAllBytes();
    // The stream used a few tokens, not 600: once it ended, its unused share came back.
    long deadline = System.currentTimeMillis() + 2_000;
    int status;
    do {
      status = chat(key, "{\"model\":\"mock-text\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
          .statusCode();
    } while (status != 200 && System.currentTimeMillis() < deadline);
    assertThat(status).isEqualTo(200);
  }

  @Test
  void aConcurrencyLimitRefusesWhileTheKeysStreamsRunAndAdmitsOnceTheyEnd() throws Exception {
    gateway.app().stores().sql().update("INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at)"
        + " VALUES ('one-at-a-time', 0, 0, 0, 1, 1, 1)");
    String key = keyOnPlan("one-at-a-time");
    upstream.holdSlow();
    HttpResponse<java.io.InputStream> running = Http.client().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.baseUrl() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.chat("mock-slow", true)))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(running.statusCode()).isEqualTo(200);

    HttpResponse<String> second = chat(key, Http.chat("mock-text", false));

    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(second.body()).path("error").path("message").asText()).contains("1 requests at once");
    assertThat(second.headers().firstValue("retry-after")).contains("1");
    upstream.releaseSlow();
    running.body().readAllBytes();
    long deadline = System.currentTimeMillis() + 2_000;
    int status;
    do {
      status = chat(key, Http.chat("mock-text", false)).statusCode();
    } while (status != 200 && System.currentTimeMillis() < deadline);
    assertThat(status).as("the slot came back when the stream ended").isEqualTo(200);
  }

  @Test
  void keysWithoutAPlanAreNotLimited() {
    String key = gateway.createKey();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = chat(key, Http.chat("mock-text", false));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }
  }

  @Test
  void adminsEditPlansAndAUsersPlanCoversTheirKeysWithoutOne() throws Exception {
    String admin = TestGateway.ADMIN_TOKEN;
    var api = gateway.api();
    assertThat(api.call("GET", "/api/plan", null, admin).body().path("data").findValuesAsText("name"))
        .contains("free", "starter", "pro", "enterprise");
    var created = api.call("PUT", "/api/plan/one-per-minute", "{\"rpm\":1}", admin);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.body().path("rpm").asLong()).isEqualTo(1);
    assertThat(created.body().path("qps").asLong()).isZero();
    assertThat(api.call("PUT", "/api/plan/one-per-minute", "{\"rpm\":-1}", admin).error()).contains("'rpm'");
    assertThat(api.call("PUT", "/api/plan/Bad%20Name", "{\"rpm\":1}", admin).status()).isEqualTo(400);

    String session = api.register("planned", "planned-pw");
    long userId = api.call("GET", "/api/user/self", null, session).body().path("id").asLong();
    assertThat(api.call("PUT", "/api/plan/one-per-minute", "{\"rpm\":2}", session).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/plan", null, session).status()).as("plans are for everyone to read").isEqualTo(200);
    long planId = created.body().path("id").asLong();
    assertThat(api.call("PUT", "/api/user/" + userId, "{\"planId\":" + planId + "}", admin).body().path("planId").asLong())
        .isEqualTo(planId);
    assertThat(api.call("PUT", "/api/user/" + userId, "{\"planId\":987654}", admin).error()).contains("'planId'");

    String key = api.call("POST", "/api/token", "{\"name\":\"unplanned\"}", session).body().path("key").asText();
    assertThat(chat(key, Http.chat("mock-text", false)).statusCode()).isEqualTo(200);
    assertThat(chat(key, Http.chat("mock-text", false)).statusCode()).as("the owner's plan: one a minute").isEqualTo(429);
    assertThat(api.call("DELETE", "/api/plan/one-per-minute", null, admin).status()).as("still given to a user").isEqualTo(409);

    api.call("PUT", "/api/user/" + userId, "{\"planId\":0}", admin);
    assertThat(api.call("DELETE", "/api/plan/one-per-minute", null, admin).status()).isEqualTo(204);
  }

  @Test
  void plansDeclaredInTheConfigFileAreUpsertedAtStart() {
    TollgateConfig.RateLimits declared = new TollgateConfig.RateLimits(List.of(
        new TollgateConfig.PlanDecl("declared", 3L, null, 9000L, 2), new TollgateConfig.PlanDecl("free", 5L, 50L, null, null)), null, 0);
    try (TestGateway other = TestGateway.start(dataDir.resolve("declared-" + System.nanoTime()), c -> c.withRateLimits(declared))) {
      List<Plan> plans = new PlanRepository(other.app().stores().sql()).list();
      assertThat(plans).filteredOn(p -> p.name().equals("declared")).singleElement()
          .satisfies(p -> assertThat(p.limits()).isEqualTo(new dev.tollgate.limit.Limits(3, 0, 9000, 2)));
      assertThat(plans).filteredOn(p -> p.name().equals("free")).singleElement()
          .satisfies(p -> assertThat(p.limits()).as("a shipped plan changed by the file").isEqualTo(
              new dev.tollgate.limit.Limits(5, 50, 0, 0)));
    }
  }
}

package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream.Fault;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRecord.Attempt;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover before the first byte, across real upstreams with their own faults: 3 attempts within
 * a 1.5 s deadline, 600 ms for an upstream's first byte. Circuits never open here (see
 * ChannelHealthTest), so every request meets every fault.
 */
@Timeout(30)
@UsesDatabase
class FailoverTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FIRST_BYTE_MS = 600;
  private static final int DEADLINE_MS = 1_500;

  @TempDir static Path dataDir;
  static TestGateway gateway;
  static String key;
  static String url;
  final List<MockOpenAiUpstream> upstreams = new ArrayList<>();

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir, FIRST_BYTE_MS, 1_500, new TollgateConfig.Routing(
        3, DEADLINE_MS, 0, TestGateway.ROUTING.circuit()));
    key = gateway.createKey();
    url = gateway.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @AfterEach
  void closeUpstreams() {
    upstreams.forEach(MockOpenAiUpstream::close);
  }

  private MockOpenAiUpstream upstream() {
    MockOpenAiUpstream upstream = new MockOpenAiUpstream();
    upstreams.add(upstream);
    return upstream;
  }

  /** A channel serving {@code model} from the upstream's {@code mock-text} scenario. */
  private static long channel(String model, String baseUrl, int priority) {
    return gateway.addChannel("openai", baseUrl, List.of(model), Map.of(model, "mock-text"), priority, 1);
  }

  private static String closedPort() {
    return "http://127.0.0.1:" + MockOpenAiUpstream.freePort() + "/v1";
  }

  private static UsageRecord record(HttpResponse<?> response) {
    return Records.await(gateway, response.headers().firstValue("x-request-id").orElseThrow());
  }

  @Test
  void failoverFollowsThePriorityGroups() {
    MockOpenAiUpstream broken = upstream().inject(Fault.STATUS_500, 1);
    MockOpenAiUpstream second = upstream();
    MockOpenAiUpstream last = upstream();
    long first = channel("fo-priority", broken.baseUrl(), 10);
    long next = channel("fo-priority", second.baseUrl(), 5);
    channel("fo-priority", last.baseUrl(), 0);

    for (int i = 0; i < 5; i++) {
      HttpResponse<String> response = Http.postJson(url, key, chat("fo-priority", false));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("Hello there!");
      assertThat(record(response).attempts()).extracting(Attempt::channelId, Attempt::status)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(first, 500), org.assertj.core.groups.Tuple.tuple(next, 200));
    }
    assertThat(broken.chatRequests()).isEqualTo(5);
    assertThat(second.chatRequests()).isEqualTo(5);
    assertThat(last.chatRequests()).as("the lowest priority is only a fallback").isZero();
  }

  @Test
  void everyAttemptIsOnTheUsageRecordAndOnlyTheAnswerCosts() {
    MockOpenAiUpstream hanging = upstream().inject(Fault.HANG, 1);
    MockOpenAiUpstream healthy = upstream();
    long refused = channel("fo-record", closedPort(), 10);
    long silent = channel("fo-record", hanging.baseUrl(), 5);
    long answering = channel("fo-record", healthy.baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-record", false));

    assertThat(response.statusCode()).isEqualTo(200);
    UsageRecord record = record(response);
    assertThat(record.attempts()).hasSize(3);
    assertThat(record.attempts().get(0)).extracting(Attempt::channelId, Attempt::error).containsExactly(refused, "connect");
    assertThat(record.attempts().get(1)).extracting(Attempt::channelId, Attempt::error).containsExactly(silent, "timeout");
    assertThat(record.attempts().get(1).ms()).isBetween(FIRST_BYTE_MS - 10, FIRST_BYTE_MS + 400);
    assertThat(record.attempts().get(2)).extracting(Attempt::channelId, Attempt::status).containsExactly(answering, 200);
    assertThat(record.channelId()).isEqualTo(answering);
    assertThat(record.status()).isEqualTo(200);
    // The mock's usage (11 in, 3 out), once: the failed attempts add nothing.
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.tokensEstimated()).isFalse();
  }

  @Test
  void clientErrorsAreNotRetried() {
    MockOpenAiUpstream first = upstream();
    MockOpenAiUpstream other = upstream();
    long rejecting = gateway.addChannel("openai", first.baseUrl(), List.of("fo-400"), Map.of("fo-400", "mock-400"), 10, 1);
    channel("fo-400", other.baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-400", false));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("mock: temperature out of range");
    assertThat(other.chatRequests()).isZero();
    assertThat(record(response).attempts()).containsExactly(new Attempt(rejecting, 400, null, record(response).attempts().get(0).ms()));
  }

  @Test
  void aRateLimitedUpstreamFailsOverAndTheLast429ReachesTheClientWithItsRetryAfter() {
    MockOpenAiUpstream limited = upstream().inject(Fault.STATUS_429, 1);
    MockOpenAiUpstream healthy = upstream();
    channel("fo-429", limited.baseUrl(), 10);
    channel("fo-429", healthy.baseUrl(), 0);

    assertThat(Http.postJson(url, key, chat("fo-429", false)).statusCode()).isEqualTo(200);

    healthy.inject(Fault.STATUS_429, 1);
    HttpResponse<String> response = Http.postJson(url, key, chat("fo-429", false));
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
    assertThat(response.body()).contains("rate_limit_exceeded");
    assertThat(record(response).attempts()).extracting(Attempt::status).containsExactly(429, 429);
    assertThat(record(response).errorCode()).isEqualTo("rate_limited");
  }

  @Test
  void whenEveryChannelFailsTheClientGets502() throws Exception {
    channel("fo-502", upstream().inject(Fault.STATUS_500, 1).baseUrl(), 1);
    channel("fo-502", upstream().inject(Fault.CUT, 1).baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-502", false));

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("upstream_error");
    assertThat(record(response).attempts()).extracting(Attempt::status, Attempt::error)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(500, null), org.assertj.core.groups.Tuple.tuple(null, "connection"));
  }

  @Test
  void aSlowFirstByteWithinTheTimeoutIsWaitedFor() {
    MockOpenAiUpstream slow = upstream().inject(Fault.SLOW_HEAD, 1);
    MockOpenAiUpstream other = upstream();
    channel("fo-slow", slow.baseUrl(), 10);
    channel("fo-slow", other.baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-slow", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(other.chatRequests()).isZero();
    assertThat(record(response).attempts().get(0).ms()).isGreaterThanOrEqualTo((int) MockOpenAiUpstream.SLOW_HEAD_MS);
  }

  @Test
  void theDeadlineEndsTheRequestWith504() throws Exception {
    for (int priority = 3; priority > 0; priority--) {
      channel("fo-deadline", upstream().inject(Fault.HANG, 1).baseUrl(), priority);
    }
    long start = System.nanoTime();

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-deadline", false));

    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText()).contains("deadline of 1500 ms");
    assertThat(tookMs).isBetween((long) DEADLINE_MS, DEADLINE_MS + 1_000L);
    // Two first-byte timeouts of 600 ms, then the third call gets what is left of the 1.5 s.
    assertThat(record(response).attempts()).extracting(Attempt::error).containsExactly("timeout", "timeout", "deadline");
    assertThat(record(response).status()).isEqualTo(504);
  }

  @Test
  void noRetryOnceTheFirstByteReachedTheClient() throws Exception {
    MockOpenAiUpstream cutting = upstream().inject(Fault.CUT, 1);
    MockOpenAiUpstream healthy = upstream();
    long first = channel("fo-cut", cutting.baseUrl(), 10);
    channel("fo-cut", healthy.baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-cut", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"content\":\"Hel\"").contains("data: {\"error\":").doesNotContain("[DONE]");
    assertThat(healthy.chatRequests()).isZero();
    UsageRecord record = record(response);
    assertThat(record.attempts()).extracting(Attempt::channelId, Attempt::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(first, 200));
    assertThat(record.errorCode()).isEqualTo("upstream_error");
  }

  @Test
  void aStreamFailsOverBeforeItsFirstByte() {
    channel("fo-stream", upstream().inject(Fault.STATUS_500, 1).baseUrl(), 10);
    channel("fo-stream", upstream().baseUrl(), 0);

    HttpResponse<String> response = Http.postJson(url, key, chat("fo-stream", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"content\":\" there\"").contains("data: [DONE]");
    assertThat(record(response).attempts()).extracting(Attempt::status).containsExactly(500, 200);
  }
}

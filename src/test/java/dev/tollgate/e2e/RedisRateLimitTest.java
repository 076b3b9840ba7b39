package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.TcpProxy;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.TestRedis;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link RateLimitTest} again with the counters in this machine's Redis
 * (127.0.0.1:6379; skipped with a reason when nothing listens there), then what Redis adds:
 * gateways sharing one Redis enforce one limit, and what happens while Redis is away.
 */
@UsesDatabase
class RedisRateLimitTest extends RateLimitTest {

  private final String prefix = TestRedis.uniquePrefix();

  @Override
  UnaryOperator<TollgateConfig> configuration() {
    String url = TestRedis.url();
    return config -> config.withRedis(TollgateConfig.Redis.at(url).withKeyPrefix(prefix));
  }

  /** Another gateway on the same database, with Redis at {@code redisUrl}. */
  private TestGateway secondNode(String redisUrl, String failure) throws java.io.IOException {
    TollgateConfig.Database sameDatabase = new TollgateConfig.Database(gateway.databaseUrl(), null, null, 0, 1_000, 0, null);
    String sameSecretKey = java.nio.file.Files.readString(gateway.dataDir().resolve("secret.key")).strip();
    return TestGateway.start(dataDir.resolve("node-" + System.nanoTime()), config -> config
        .withDatabase(sameDatabase)
        .withSecretKey(sameSecretKey)
        .withRedis(TollgateConfig.Redis.at(redisUrl).withKeyPrefix(prefix))
        .withRateLimits(config.rateLimits().withRedisFailure(failure)));
  }

  private static HttpResponse<String> chatAt(TestGateway node, String key) {
    return Http.postJson(node.baseUrl() + "/v1/chat/completions", key, Http.chat("mock-text", false));
  }

  @Test
  void twoGatewaysOnOneRedisEnforceOneCombinedLimit() throws Exception {
    try (TestGateway other = secondNode(TestRedis.url(), "open")) {
      String key = keyOnPlan("free");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        statuses.add(chatAt(gateway, key).statusCode());
        statuses.add(chatAt(other, key).statusCode());
      }

      assertThat(statuses).as("2 per second for the key, wherever its requests land").containsExactly(200, 200, 429, 429, 429, 429);
    }
  }

  @Test
  void whileRedisIsAwayFailOpenLimitsEachNodeAloneAndFailClosedAnswers503() throws Exception {
    try (TcpProxy redis = new TcpProxy(TestRedis.HOST, TestRedis.PORT);
        TestGateway open = secondNode(TestRedis.urlVia(redis.port()), "open");
        TestGateway closed = secondNode(TestRedis.urlVia(redis.port()), "closed")) {
      String key = keyOnPlan("free");
      redis.down();

      List<Integer> openStatuses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        openStatuses.add(chatAt(open, key).statusCode());
      }
      HttpResponse<String> refused = Http.postJson(closed.baseUrl() + "/v1/messages", key,
          "{\"model\":\"mock-text\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(openStatuses).as("this node's own counters: still 2 per second").containsExactly(200, 200, 429);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("error");
      assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("rate limits cannot be checked");
      assertThat(refused.headers().firstValue("retry-after")).contains("1");
      String metrics = Http.get(closed.baseUrl() + "/metrics", null).body();
      assertThat(metrics).containsPattern("tollgate_ratelimit_redis_failures_total [1-9]");
      assertThat(metrics).contains("tollgate_ratelimit_redis_reachable 0.0");
      assertThat(metrics).containsPattern("tollgate_ratelimit_rejections_total\\{limit=\"unavailable\"} [1-9]");
      assertThat(Http.get(open.baseUrl() + "/metrics", null).body())
          .containsPattern("tollgate_ratelimit_rejections_total\\{limit=\"qps\"} [1-9]");
    }
  }
}

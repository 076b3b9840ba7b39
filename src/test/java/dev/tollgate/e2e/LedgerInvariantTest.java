package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger invariant after 5,000 mixed requests — answers and streams, upstream errors, client
 * errors, streams cut by the upstream, clients leaving mid-stream, failovers, keys and accounts
 * running dry — checked exactly, to the micro-cent: for every account and key, spent quota ==
 * Σ cost of its usage records, what is spent never exceeds the quota, and every request has one
 * record.
 */
@UsesDatabase
class LedgerInvariantTest {

  private static final int REQUESTS = 5_000;
  private static final int CLIENTS = 32;

  @TempDir Path dataDir;

  @Test
  @Timeout(300)
  void fiveThousandMixedRequestsLeaveTheLedgerExact() throws Exception {
    try (MockOpenAiUpstream flaky = new MockOpenAiUpstream().inject(MockOpenAiUpstream.Fault.STATUS_500, 0.3);
        MockOpenAiUpstream steady = new MockOpenAiUpstream();
        TestGateway gateway = TestGateway.start(dataDir, c -> c.withBilling(c.billing().withFreeModels(List.of())))) {
      List<String> models = List.of("mock-text", "mock-500", "mock-400", "mock-cut", "mock-endless");
      // The flaky channel goes first: three in ten of its answers fail over to the steady one.
      gateway.addChannel(new ChannelSpec("flaky", "openai", flaky.baseUrl(), List.of("sk-a"), models, null, 10, 1,
          null, null, null, null));
      gateway.addChannel(new ChannelSpec("steady", "openai", steady.baseUrl(), List.of("sk-b"), models, null, 0, 1,
          null, null, null, null));
      ManagementClient api = gateway.api();
      for (String model : models) {
        assertThat(api.call("PUT", "/api/model/" + model, "{\"inputPrice\":\"123.456789\",\"outputPrice\":\"987.654321\","
            + "\"cachedInputPrice\":\"12.345678\"}", TestGateway.ADMIN_TOKEN).status()).isEqualTo(201);
      }
      api.call("POST", "/api/group", "{\"name\":\"odd\",\"priceRatio\":\"0.37\"}", TestGateway.ADMIN_TOKEN);

      // Accounts of different sizes, some in the odd group; some keys with limits of their own that run dry.
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String body = ManagementClient.json("username", "ledger" + i, "password", "ledger-password")
            .replace("}", ",\"quota\":" + (i == 0 ? 1 : 5 + i * 3) + (i % 2 == 0 ? "" : ",\"group\":\"odd\"") + "}");
        long userId = api.call("POST", "/api/user", body, TestGateway.ADMIN_TOKEN).body().path("id").asLong();
        keys.add(gateway.app().stores().keyService().create(userId, "unlimited", null, null, null).key());
        keys.add(gateway.app().stores().keyService().create(userId, "limited", 1L, null, null).key());
      }
      gateway.addChannel(new ChannelSpec("odd", "openai", steady.baseUrl(), List.of("sk-c"), models, null, 0, 1,
          null, null, null, List.of("odd")));

      Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int n = i;
        done.add(clients.submit(() -> statuses.merge(call(gateway.baseUrl(), keys.get(n % keys.size()), n), 1, Integer::sum)));
      }
      for (Future<?> call : done) {
        call.get(120, TimeUnit.SECONDS);
      }
      clients.shutdown();

      long deadline = System.currentTimeMillis() + 15_000;
      while ((gateway.app().ledger().reservedInFlight() != 0 || recordCount(gateway) < REQUESTS)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(statuses).as("the mix really ran").containsKeys(200, 402, 400, -1).satisfies(s ->
          assertThat(s.keySet()).anyMatch(status -> status >= 500));
      assertThat(gateway.app().ledger().reservedInFlight()).as("every reservation settled or released").isZero();
      assertThat(recordCount(gateway)).as("one record per request").isEqualTo(REQUESTS);
      assertLedgerExact(gateway);
    }
  }

  /** One request of the mix, chosen by its number; answers its status (-1 for a client that left). */
  private static int call(String baseUrl, String key, int n) {
    String model = switch (n % 10) {
      case 0, 1, 2, 3, 4, 5 -> "mock-text";
      case 6 -> "mock-500";
      case 7 -> "mock-400";
      case 8 -> "mock-cut";
      default -> "mock-endless";
    };
    boolean stream = n % 10 >= 8 || n % 3 == 0;
    // Most set a small max_tokens; one in seven none, and reserves the configured ceiling.
    String limit = n % 7 == 0 ? "" : "\"max_tokens\":16,";
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + "," + limit
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      if (!model.equals("mock-endless")) {
        return Http.client().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
      }
      HttpResponse<InputStream> response = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream answer = response.body()) {
        if (response.statusCode() == 200) {
          BufferedReader reader = new BufferedReader(new InputStreamReader(answer, StandardCharsets.UTF_8));
          reader.readLine();
          reader.readLine();
          return -1; // leaves mid-stream
        }
        return response.statusCode();
      }
    } catch (Exception e) {
      throw new AssertionError("request " + n + " failed", e);
    }
  }

  private static long recordCount(TestGateway gateway) {
    return gateway.app().stores().sql().one("SELECT COUNT(*) FROM usage_records", row -> row.getLong(1)).orElseThrow();
  }

  private static void assertLedgerExact(TestGateway gateway) {
    Sql sql = gateway.app().stores().sql();
    long charged = sql.one("SELECT COALESCE(SUM(cost), 0) FROM usage_records", row -> row.getLong(1)).orElseThrow();
    assertThat(charged).isPositive();
    List<long[]> users = sql.list("SELECT id, quota, used_quota, (SELECT COALESCE(SUM(cost), 0) FROM usage_records r"
        + " WHERE r.user_id = users.id) FROM users",
        row -> new long[] {row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)});
    for (long[] user : users) {
      assertThat(user[2]).as("user %d: spent quota == Σ cost", user[0]).isEqualTo(user[3]);
      assertThat(user[1] - user[2]).as("user %d: never beyond the quota", user[0]).isNotNegative();
      Long inMemory = gateway.app().ledger().spentByAccount(user[0]);
      if (inMemory != null) {
        assertThat(inMemory).as("user %d: the ledger in memory agrees", user[0]).isEqualTo(user[2]);
      }
    }
    List<long[]> keys = sql.list("SELECT id, quota_limit, used_quota, (SELECT COALESCE(SUM(cost), 0) FROM usage_records r"
        + " WHERE r.key_id = api_keys.id) FROM api_keys",
        row -> new long[] {row.getLong(1), row.getObject(2) == null ? Long.MAX_VALUE : row.getLong(2), row.getLong(3), row.getLong(4)});
    for (long[] key : keys) {
      assertThat(key[2]).as("key %d: spent quota == Σ cost", key[0]).isEqualTo(key[3]);
      assertThat(key[1] - key[2]).as("key %d: never beyond its limit", key[0]).isNotNegative();
    }
  }
}

package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.App;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.Money;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.db.Sql;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRepository;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the gateway loses nothing that was acknowledged. */
@UsesDatabase
class GracefulShutdownTest {

  @TempDir Path dataDir;

  @Test
  @Timeout(90)
  void sigtermMidLoadKeepsAUsageRecordForEveryAcknowledgedRequestAndTheLedgerExact() throws Exception {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream();
        TestDatabase.Scratch scratch = TestDatabase.selected().create(dataDir)) {
      TollgateConfig config = TestGateway.config(dataDir, scratch.url(), 1_000, 1_000);
      String key = prepare(config, upstream);
      Set<String> acknowledged = loadThenStop(scratch.url(), key, Process::destroy); // SIGTERM

      try (Database database = Database.open(config)) {
        Sql sql = new Sql(database.dataSource());
        UsageRepository usage = new UsageRepository(sql);
        List<String> missing = acknowledged.stream().filter(id -> usage.byRequestId(id).isEmpty()).toList();
        assertThat(missing).as("acknowledged requests without a usage record").isEmpty();
        assertThat(usage.count()).isGreaterThanOrEqualTo(acknowledged.size());
        assertLedgerExact(sql);
      }
    }
  }

  @Test
  @Timeout(90)
  void afterAKillMidLoadTheLedgerStillHoldsAndStartUpFindsNothingToMend() throws Exception {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream();
        TestDatabase.Scratch scratch = TestDatabase.selected().create(dataDir)) {
      TollgateConfig config = TestGateway.config(dataDir, scratch.url(), 1_000, 1_000);
      String key = prepare(config, upstream);
      loadThenStop(scratch.url(), key, Process::destroyForcibly); // SIGKILL: records in the writer's queue are lost

      try (Database database = Database.open(config)) {
        Sql sql = new Sql(database.dataSource());
        assertLedgerExact(sql); // records and the quota they spent were committed together, or not at all
        assertThat(new UsageRepository(sql).reconcileSpent()).as("start-up reconciliation mends nothing").isZero();
      }
    }
  }

  /** A priced channel and a key of the root admin, whose account can pay for the whole load. */
  private static String prepare(TollgateConfig config, MockOpenAiUpstream upstream) {
    try (Database database = Database.open(config)) {
      App.Stores stores = App.Stores.open(database, config, Clock.systemUTC());
      stores.channels().insert(new ChannelSpec("mock", "openai", upstream.baseUrl(), "sk-up", List.of("mock-text"), Map.of(), 0, 1));
      new PriceRepository(stores.sql(), Clock.systemUTC()).put(ModelPrice.tokens("mock-text", 100_000_000L, 200_000_000L));
      stores.users().creditQuota(stores.root().id(), Money.centsToMicros(1_000_000), "admin", "load test", null);
      return stores.keyService().create(stores.root().id(), "load", null, null, null).key();
    }
  }

  /** Runs 8 clients (half streaming) against a gateway process, stops it mid-load, returns what was acknowledged. */
  private Set<String> loadThenStop(String databaseUrl, String key, Consumer<Process> stop) throws Exception {
    int port = MockOpenAiUpstream.freePort();
    Process server = startServer(port, databaseUrl);
    try {
      awaitHealthy(port, server);
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean stream = i % 2 == 0;
        loops.add(CompletableFuture.runAsync(() -> load(port, key, stream, running, acknowledged), clients));
      }
      // Stop mid-load: once the load is well under way (a busy machine may take a while).
      long loadDeadline = System.currentTimeMillis() + 20_000;
      while (acknowledged.size() < 100 && System.currentTimeMillis() < loadDeadline) {
        Thread.sleep(50);
      }
      int beforeStop = acknowledged.size();
      stop.accept(server);
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server exits").isTrue();
      running.set(false);
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      clients.shutdownNow();
      assertThat(beforeStop).as("the load really ran").isGreaterThan(50);
      return acknowledged;
    } finally {
      server.destroyForcibly();
    }
  }

  /** For the account and the key: spent quota == Σ cost of their usage records, and it never exceeds the quota. */
  private static void assertLedgerExact(Sql sql) {
    long charged = sql.one("SELECT COALESCE(SUM(cost), 0) FROM usage_records", row -> row.getLong(1)).orElseThrow();
    assertThat(charged).as("the load was charged").isPositive();
    List<long[]> users = sql.list("SELECT quota, used_quota, (SELECT COALESCE(SUM(cost), 0) FROM usage_records r"
        + " WHERE r.user_id = users.id) FROM users", row -> new long[] {row.getLong(1), row.getLong(2), row.getLong(3)});
    for (long[] user : users) {
      assertThat(user[1]).as("an account's spent quota is the sum of its records").isEqualTo(user[2]);
      assertThat(user[0] - user[1]).as("nothing in flight: no overspend").isNotNegative();
    }
    List<long[]> keys = sql.list("SELECT used_quota, (SELECT COALESCE(SUM(cost), 0) FROM usage_records r"
        + " WHERE r.key_id = api_keys.id) FROM api_keys", row -> new long[] {row.getLong(1), row.getLong(2)});
    for (long[] key : keys) {
      assertThat(key[0]).as("a key's spent quota is the sum of its records").isEqualTo(key[1]);
    }
  }

  @Test
  @Timeout(30)
  void streamInFlightAtShutdownIsFinishedBeforeTheGatewayStops() throws Exception {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream();
        TestDatabase.Scratch scratch = TestDatabase.selected().create(dataDir)) {
      TestGateway gateway = TestGateway.start(dataDir, scratch, 10_000, 10_000);
      gateway.addChannel(upstream.baseUrl(), List.of("mock-slow"), Map.of());
      String key = gateway.createKey();
      HttpResponse<InputStream> response = Http.client().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(chat("mock-slow", true))).build(), HttpResponse.BodyHandlers.ofInputStream());
      BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
      assertThat(reader.readLine()).contains("first");

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::close);
      Thread.sleep(300);
      assertThat(stopping).as("stop waits for the stream").isNotDone();
      assertThat(statusOrRefused(gateway.baseUrl() + "/v1/chat/completions", key))
          .as("new requests are refused while draining").isIn(503, REFUSED);
      upstream.releaseSlow();

      List<String> rest = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        rest.add(line);
      }
      assertThat(rest).contains("data: [DONE]");
      stopping.get(15, TimeUnit.SECONDS);

      TollgateConfig config = TestGateway.config(dataDir, scratch.url(), 1_000, 1_000);
      try (Database database = Database.open(config)) {
        UsageRepository usage = new UsageRepository(new dev.tollgate.db.Sql(database.dataSource()));
        var records = usage.byRequestId(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).status()).isEqualTo(200);
      }
    }
  }

  private static final int REFUSED = -1;

  /** The status of a new request, or REFUSED when the connection itself is refused. */
  private static int statusOrRefused(String url, String key) {
    try {
      return Http.postJson(url, key, chat("mock-slow", false)).statusCode();
    } catch (IllegalStateException e) {
      assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
      return REFUSED;
    }
  }

  private static void load(int port, String key, boolean stream, AtomicBoolean running, Set<String> acknowledged) {
    String url = "http://127.0.0.1:" + port + "/v1/chat/completions";
    while (running.get()) {
      try {
        HttpResponse<String> response = Http.client().send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chat("mock-text", stream))).build(), HttpResponse.BodyHandlers.ofString());
        boolean complete = stream ? response.body().contains("data: [DONE]") : response.body().contains("Hello there!");
        if (response.statusCode() == 200 && complete) {
          acknowledged.add(response.headers().firstValue("x-request-id").orElseThrow());
        }
      } catch (Exception e) {
        // The server is going away: refused or reset connections are expected, and not acknowledged.
        try {
          Thread.sleep(10);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private Process startServer(int port, String databaseUrl) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "dev.tollgate.Main", "serve")
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("server.log").toFile());
    builder.environment().put("TOLLGATE_DATA_DIR", dataDir.toString());
    builder.environment().put("TOLLGATE_DATABASE_URL", databaseUrl);
    builder.environment().put("TOLLGATE_SERVER_PORT", String.valueOf(port));
    builder.environment().put("TOLLGATE_SERVER_HOST", "127.0.0.1");
    builder.environment().put("TOLLGATE_SERVER_SHUTDOWN_GRACE_SECONDS", "10");
    return builder.start();
  }

  private static void awaitHealthy(int port, Process server) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited early with " + server.exitValue());
      }
      try {
        if (Http.get("http://127.0.0.1:" + port + "/health", null).statusCode() == 200) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy");
  }
}

package dev.tollgate.testing;

import dev.tollgate.App;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.config.TollgateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real gateway on a free port over a fresh, empty database of the kind the run selected
 * ({@link TestDatabase#selected()}: SQLite by default), with short timeouts for tests.
 */
public final class TestGateway implements AutoCloseable {

  /** The admin API token every test gateway is configured with. */
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  /** The root admin's password in every test gateway (set through accounts.root_password). */
  public static final String ROOT_PASSWORD = "root-password-for-tests";

  private final App app;
  private final Path dataDir;
  private final TestDatabase.Scratch database;
  private final boolean ownsDatabase;

  private TestGateway(App app, Path dataDir, TestDatabase.Scratch database, boolean ownsDatabase) {
    this.app = app;
    this.dataDir = dataDir;
    this.database = database;
    this.ownsDatabase = ownsDatabase;
  }

  public static TestGateway start(Path dataDir) {
    return start(dataDir, 1_500, 1_500);
  }

  /**
   * Failover as in production (3 attempts) within 30 s, and circuits that never open: most tests
   * send every fault to one channel, which a real breaker would soon take out of routing.
   */
  public static final TollgateConfig.Routing ROUTING =
      new TollgateConfig.Routing(3, 30_000, 0, new TollgateConfig.Circuit(Integer.MAX_VALUE, 101, 0, 0, 0));

  public static TestGateway start(Path dataDir, int firstByteTimeoutMs, int idleTimeoutMs) {
    return start(dataDir, firstByteTimeoutMs, idleTimeoutMs, null, null, ROUTING);
  }

  public static TestGateway start(Path dataDir, int firstByteTimeoutMs, int idleTimeoutMs, TollgateConfig.Routing routing) {
    return start(dataDir, firstByteTimeoutMs, idleTimeoutMs, null, null, routing);
  }

  /** @param protocols per-protocol settings, or null for the defaults */
  public static TestGateway start(Path dataDir, TollgateConfig.Protocols protocols) {
    return start(dataDir, 1_500, 1_500, null, protocols, ROUTING);
  }

  /** @param keepaliveSeconds idle seconds before a keepalive on a client stream; 0 turns them off */
  public static TestGateway withKeepalive(Path dataDir, int keepaliveSeconds, int idleTimeoutMs) {
    return start(dataDir, 1_500, idleTimeoutMs, keepaliveSeconds, null, ROUTING);
  }

  private static TestGateway start(Path dataDir, int firstByteTimeoutMs, int idleTimeoutMs, Integer keepaliveSeconds,
      TollgateConfig.Protocols protocols, TollgateConfig.Routing routing) {
    TestDatabase.Scratch database = TestDatabase.selected().create(dataDir);
    try {
      TollgateConfig config =
          config(dataDir, database.url(), firstByteTimeoutMs, idleTimeoutMs, keepaliveSeconds, protocols, routing);
      return new TestGateway(App.start(config), dataDir, database, true);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** A gateway whose configuration a test adjusts (e.g. without an admin token). */
  public static TestGateway start(Path dataDir, UnaryOperator<TollgateConfig> adjust) {
    TestDatabase.Scratch database = TestDatabase.selected().create(dataDir);
    try {
      return new TestGateway(App.start(adjust.apply(config(dataDir, database.url(), 1_500, 1_500))), dataDir, database, true);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** A gateway over a database the caller owns (and reads after the gateway stopped). */
  public static TestGateway start(Path dataDir, TestDatabase.Scratch database, int firstByteTimeoutMs, int idleTimeoutMs) {
    return new TestGateway(App.start(config(dataDir, database.url(), firstByteTimeoutMs, idleTimeoutMs)), dataDir, database, false);
  }

  /** The configuration TestGateway runs with, for tests that start an App themselves. */
  public static TollgateConfig config(Path dataDir, String databaseUrl, int firstByteTimeoutMs, int idleTimeoutMs) {
    return config(dataDir, databaseUrl, firstByteTimeoutMs, idleTimeoutMs, null, null, ROUTING);
  }

  public static TollgateConfig config(
      Path dataDir, String databaseUrl, int firstByteTimeoutMs, int idleTimeoutMs, TollgateConfig.Routing routing) {
    return config(dataDir, databaseUrl, firstByteTimeoutMs, idleTimeoutMs, null, null, routing);
  }

  private static TollgateConfig config(Path dataDir, String databaseUrl, int firstByteTimeoutMs, int idleTimeoutMs,
      Integer keepaliveSeconds, TollgateConfig.Protocols protocols, TollgateConfig.Routing routing) {
    return new TollgateConfig(
        new TollgateConfig.Server("127.0.0.1", MockOpenAiUpstream.freePort(), 64 * 1024, 5, 2, keepaliveSeconds, 0),
        new TollgateConfig.Database(databaseUrl, null, null, 0, 1_000, 0, null),
        new TollgateConfig.Upstream(1_000, firstByteTimeoutMs, idleTimeoutMs, 64),
        new TollgateConfig.Usage(100, 20, 0),
        // Tests serve images from loopback over plain HTTP; production defaults refuse both.
        new TollgateConfig.Images(true, true, 0, 2_000),
        protocols,
        routing,
        dataDir.toString(),
        null,
        null,
        null,
        new TollgateConfig.Admin(ADMIN_TOKEN),
        TollgateConfig.Accounts.defaults().withRootPassword(ROOT_PASSWORD),
        // Every model free unless a test sets prices: tests of other features need no quota.
        TollgateConfig.Billing.defaults().withFreeModels(List.of("*")),
        null,
        null,
        // The access log in a file of the data directory, not in the test output (accessLog() reads it).
        new TollgateConfig.Log(false, dataDir.resolve("access.log").toString(), false));
  }

  /**
   * The access log's lines (the config puts it in the data directory), once at least {@code count}
   * are there or after 5 s: they are written every 50 ms.
   */
  public List<String> accessLines(int count) throws InterruptedException {
    List<String> lines = accessLines();
    for (int i = 0; i < 100 && lines.size() < count; i++) {
      Thread.sleep(50);
      lines = accessLines();
    }
    return lines;
  }

  private List<String> accessLines() {
    Path file = dataDir.resolve("access.log");
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public App app() {
    return app;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The JDBC URL of this gateway's database, for a second process (the CLI) to share it. */
  public String databaseUrl() {
    return database.url();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  /** Adds an OpenAI channel and waits until the gateway routes to it. */
  public long addChannel(String baseUrl, List<String> models, Map<String, String> mapping) {
    return addChannel("openai", baseUrl, models, mapping);
  }

  /** Adds a channel of the given provider kind; its secret is {@code sk-upstream-secret}. */
  public long addChannel(String type, String baseUrl, List<String> models, Map<String, String> mapping) {
    return addChannel(type, baseUrl, models, mapping, 0, 1);
  }

  /** Adds a channel with a priority and a weight; its secret is {@code sk-upstream-secret}. */
  public long addChannel(
      String type, String baseUrl, List<String> models, Map<String, String> mapping, int priority, int weight) {
    long id = app.stores().channels().insert(new ChannelSpec(
        "ch-" + System.nanoTime(), type, baseUrl, "sk-upstream-secret", models, mapping, priority, weight)).id();
    app.catalog().reload();
    return id;
  }

  /** Adds a channel as specified and waits until the gateway routes to it. */
  public long addChannel(ChannelSpec spec) {
    long id = app.stores().channels().insert(spec).id();
    app.catalog().reload();
    return id;
  }

  /** Creates a key and returns the full secret. */
  public String createKey(String name, Long quotaCents, Set<String> models) {
    return app.stores().keyService().create(app.stores().root().id(), name, quotaCents, models, null).key();
  }

  public String createKey() {
    return createKey("test", null, null);
  }

  /** The management API of this gateway. */
  public ManagementClient api() {
    return new ManagementClient(baseUrl());
  }

  /** A session token for the user. */
  public String login(String username, String password) {
    return api().login(username, password);
  }

  /** Registers a user and returns their session token. */
  public String registerAndLogin(String username, String password) {
    return api().register(username, password);
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      if (ownsDatabase) {
        database.close();
      }
    }
  }
}

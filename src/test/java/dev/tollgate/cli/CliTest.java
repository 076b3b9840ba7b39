package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.App;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.billing.RedemptionCode;
import dev.tollgate.billing.RedemptionRepository;
import dev.tollgate.billing.Redemptions;
import dev.tollgate.account.ApiKey;
import dev.tollgate.account.Passwords;
import dev.tollgate.account.User;
import dev.tollgate.account.UserStatus;
import dev.tollgate.account.KeySecrets;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.billing.Money;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.UsesDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The scripted-setup CLI, run as a user would, against a config file's database. */
@UsesDatabase
class CliTest {

  @TempDir Path dir;
  Path configFile;
  TestDatabase.Scratch scratch;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void writeConfig() throws Exception {
    scratch = TestDatabase.selected().create(dir.resolve("data"));
    configFile = dir.resolve("tollgate.yaml");
    Files.writeString(configFile, storage());
  }

  @AfterEach
  void dropDatabase() {
    scratch.close();
  }

  /** The config lines that place the data directory and the database. */
  private String storage() {
    return "data_dir: " + dir.resolve("data") + "\ndatabase:\n  url: \"" + scratch.url() + "\"\n";
  }

  private Run tollgate(String... args) {
    CommandLine cli = TollgateCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = configFile.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = cli.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  private <T> T withStores(Function<App.Stores, T> action) {
    TollgateConfig config = new ConfigLoader().load(configFile, Map.of());
    try (Database database = Database.open(config)) {
      return action.apply(App.Stores.open(database, config, Clock.systemUTC()));
    }
  }

  @Test
  void keyCreatePrintsTheKeyAloneOnStdoutAndStoresOnlyItsHash() throws Exception {
    Run run = tollgate("admin", "key", "create", "--name", "ci", "--quota", "250", "--models", "gpt-4.1,gpt-4.1-mini",
        "--expires", "2027-01-01");

    assertThat(run.exit()).isZero();
    String key = run.out().strip();
    assertThat(key).matches("sk-[A-Za-z0-9_-]{32,}");
    assertThat(run.err()).contains("cannot be shown again");

    ApiKey stored = withStores(stores -> stores.keys().findByHash(KeySecrets.hash(key)).orElseThrow());
    assertThat(stored.name()).isEqualTo("ci");
    assertThat(stored.quotaLimit()).isEqualTo(Money.centsToMicros(250));
    assertThat(stored.models()).containsExactlyInAnyOrder("gpt-4.1", "gpt-4.1-mini");
    assertThat(stored.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(stored.keyPrefix()).isEqualTo(key.substring(0, 11));
    assertThat(databaseBytesContain(key)).as("the full key is nowhere in the database").isFalse();
  }

  @Test
  void channelAddStoresTheProviderKeyEncrypted() throws Exception {
    Run run = tollgate("admin", "channel", "add", "--name", "main", "--type", "openai", "--base-url",
        "https://api.example.com/v1", "--key", "sk-provider-secret-value", "--models", "gpt-4.1,gpt-4.1-mini",
        "--map", "gpt-4.1=gpt-4.1-2025-04-14", "--priority", "5", "--weight", "3");

    assertThat(run.exit()).isZero();
    long id = Long.parseLong(run.out().strip());
    Channel channel = withStores(stores -> stores.channels().findById(id).orElseThrow());
    assertThat(channel.secrets().all()).containsExactly("sk-provider-secret-value");
    assertThat(channel.models()).containsExactlyInAnyOrder("gpt-4.1", "gpt-4.1-mini");
    assertThat(channel.upstreamModel("gpt-4.1")).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(channel.priority()).isEqualTo(5);
    assertThat(channel.weight()).isEqualTo(3);
    assertThat(databaseBytesContain("sk-provider-secret-value")).isFalse();

    Run list = tollgate("admin", "channel", "list");
    assertThat(list.out()).contains("main").contains("https://api.example.com/v1").doesNotContain("sk-provider-secret-value");
  }

  @Test
  void channelAddTakesSeveralKeysAndHowRequestsAreShaped() {
    Run run = tollgate("admin", "channel", "add", "--name", "shaped", "--type", "openai", "--base-url",
        "https://api.example.com/v1", "--key", "sk-cli-key-one,sk-cli-key-two", "--key", "sk-cli-key-three",
        "--models", "m", "--override", "{\"max_tokens\": 100}", "--header", "X-Title=Tollgate",
        "--header", "OpenAI-Organization=org-1", "--groups", "vip,default", "--timeout-first-byte-ms", "5000",
        "--timeout-connect-ms", "0");

    assertThat(run.exit()).as(run.err()).isZero();
    Channel channel = withStores(stores -> stores.channels().findById(Long.parseLong(run.out().strip())).orElseThrow());
    assertThat(channel.secrets().all()).containsExactly("sk-cli-key-one", "sk-cli-key-two", "sk-cli-key-three");
    assertThat(channel.paramOverrides().json()).isEqualTo("{\"max_tokens\":100}");
    assertThat(channel.extraHeaders()).containsOnly(Map.entry("X-Title", "Tollgate"), Map.entry("OpenAI-Organization", "org-1"));
    assertThat(channel.groups()).containsExactlyInAnyOrder("vip", "default");
    assertThat(channel.timeouts()).isEqualTo(new ChannelTimeouts(null, 5000, null));

    Run refused = tollgate("admin", "channel", "add", "--type", "openai", "--base-url", "https://a.example/v1",
        "--key", "k", "--models", "m", "--header", "Authorization=Bearer x");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("Authorization");
    Run badJson = tollgate("admin", "channel", "add", "--type", "openai", "--base-url", "https://a.example/v1",
        "--key", "k", "--models", "m", "--override", "max_tokens=1");
    assertThat(badJson.exit()).isEqualTo(2);
    assertThat(badJson.err()).contains("JSON object");
  }

  @Test
  void channelUpdateChangesOnlyWhatItIsGiven() {
    long id = Long.parseLong(tollgate("admin", "channel", "add", "--name", "before", "--type", "openai", "--base-url",
        "https://api.example.com/v1", "--key", "sk-kept-key", "--models", "a,b", "--priority", "2",
        "--header", "X-Title=T", "--timeout-idle-ms", "9000", "--override", "{\"user\":\"gw\"}").out().strip());

    Run run = tollgate("admin", "channel", "update", String.valueOf(id), "--name", "after", "--weight", "4",
        "--timeout-idle-ms", "0", "--timeout-first-byte-ms", "700", "--clear-headers", "--groups", "vip");

    assertThat(run.exit()).as(run.err()).isZero();
    Channel channel = withStores(stores -> stores.channels().findById(id).orElseThrow());
    assertThat(channel.name()).isEqualTo("after");
    assertThat(channel.weight()).isEqualTo(4);
    assertThat(channel.priority()).isEqualTo(2);
    assertThat(channel.models()).containsExactlyInAnyOrder("a", "b");
    assertThat(channel.secrets().all()).containsExactly("sk-kept-key");
    assertThat(channel.paramOverrides().json()).isEqualTo("{\"user\":\"gw\"}");
    assertThat(channel.extraHeaders()).isEmpty();
    assertThat(channel.timeouts()).isEqualTo(new ChannelTimeouts(null, 700, null));
    assertThat(channel.groups()).containsExactly("vip");

    assertThat(tollgate("admin", "channel", "update", String.valueOf(id), "--key", "sk-new-1", "--key", "sk-new-2",
        "--override", "{}").exit()).isZero();
    Channel rekeyed = withStores(stores -> stores.channels().findById(id).orElseThrow());
    assertThat(rekeyed.secrets().all()).containsExactly("sk-new-1", "sk-new-2");
    assertThat(rekeyed.paramOverrides().isEmpty()).isTrue();

    assertThat(tollgate("admin", "channel", "update", "9999", "--weight", "2").exit()).isEqualTo(1);
    assertThat(tollgate("admin", "channel", "update", String.valueOf(id), "--type", "nope").exit()).isEqualTo(2);
  }

  @Test
  void channelShowPrintsEverySettingWithTheKeysMasked() {
    long id = Long.parseLong(tollgate("admin", "channel", "add", "--name", "shown", "--type", "openai", "--base-url",
        "https://api.example.com/v1", "--key", "sk-show-secret-abcd", "--key", "sk-show-secret-wxyz", "--models", "m",
        "--map", "m=upstream-m", "--override", "{\"max_tokens\":8}", "--header", "X-Title=T",
        "--timeout-first-byte-ms", "1500").out().strip());

    Run show = tollgate("admin", "channel", "show", String.valueOf(id));

    assertThat(show.exit()).isZero();
    assertThat(show.out())
        .contains("shown").contains("https://api.example.com/v1").contains("sk-…abcd, sk-…wxyz")
        .contains("m=upstream-m").contains("{\"max_tokens\":8}").contains("X-Title=T")
        .contains("first byte 1500 ms").contains("connect global").contains("default")
        .doesNotContain("sk-show-secret");
    assertThat(tollgate("admin", "channel", "show", "9999").exit()).isEqualTo(1);
  }

  @Test
  void keyDisableAndDeleteChangeItsStatus() {
    String key = tollgate("admin", "key", "create", "--name", "temp").out().strip();
    long id = withStores(stores -> stores.keys().findByHash(KeySecrets.hash(key)).orElseThrow().id());

    assertThat(tollgate("admin", "key", "disable", String.valueOf(id)).exit()).isZero();
    KeyStatus status = withStores(stores -> stores.keys().findById(id).orElseThrow().status());
    assertThat(status).isEqualTo(KeyStatus.DISABLED);
    assertThat(tollgate("admin", "key", "delete", String.valueOf(id)).exit()).isZero();
    assertThat(tollgate("admin", "key", "list").out()).doesNotContain("temp");
    assertThat(tollgate("admin", "key", "disable", "9999").exit()).isEqualTo(1);
  }

  @Test
  void badArgumentsExitNonZeroWithAClearMessage() {
    Run unknownType = tollgate("admin", "channel", "add", "--type", "nope", "--base-url", "https://x.example/v1",
        "--key", "k", "--models", "m");
    assertThat(unknownType.exit()).isEqualTo(2);
    assertThat(unknownType.err()).contains("unknown type 'nope'");

    Run badDate = tollgate("admin", "key", "create", "--name", "x", "--expires", "tomorrow");
    assertThat(badDate.exit()).isEqualTo(2);
    assertThat(badDate.err()).contains("'tomorrow' is not a date");

    Run badUrl = tollgate("admin", "channel", "add", "--type", "openai", "--base-url", "ftp://x", "--key", "k", "--models", "m");
    assertThat(badUrl.exit()).isEqualTo(2);
    assertThat(badUrl.err()).contains("base URL");
  }

  @Test
  void serveOnAPortInUseFailsWithAMessageNotAStackTrace() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Files.writeString(configFile, storage() + "server:\n  host: 127.0.0.1\n  port: "
          + taken.getLocalPort() + "\n");
      Run run = tollgate("serve");
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).startsWith("tollgate: failed: ").contains("caused by").doesNotContain("\tat ");
    }
  }

  @Test
  void channelsAndKeysDeclaredInTheConfigFileServeRequests() throws Exception {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream()) {
      String declaredKey = "sk-declared-in-config-0123456789abcdefghij";
      int port = MockOpenAiUpstream.freePort();
      Files.writeString(configFile, String.join("\n",
          storage() + "server:",
          "  host: 127.0.0.1",
          "  port: " + port,
          "channels:",
          "  - name: declared",
          "    type: openai",
          "    base_url: " + upstream.baseUrl(),
          "    key: sk-upstream",
          "    keys: [sk-upstream-2]",
          "    models: [declared-model]",
          "    model_mapping: {declared-model: mock-text}",
          "    param_overrides: {max_tokens: 33, metadata: {source: config}}",
          "    extra_headers: {X-Title: declared}",
          "    first_byte_timeout_ms: 4000",
          "    groups: [default, vip]",
          "keys:",
          "  - name: declared",
          "    key: " + declaredKey,
          "    models: [declared-model]",
          "billing:",
          "  prices:",
          "    - {model: declared-model, input: 0, output: \"0.000000\"}",
          ""));
      TollgateConfig config = new ConfigLoader().load(configFile, Map.of());
      App app = App.start(config);
      try {
        var response = Http.postJson("http://127.0.0.1:" + port + "/v1/chat/completions", declaredKey,
            Http.chat("declared-model", false));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Hello there!");
        assertThat(upstream.last().body().path("model").asText()).isEqualTo("mock-text");
        assertThat(upstream.last().body().path("max_tokens").asInt()).isEqualTo(33);
        assertThat(upstream.last().headers()).containsEntry("x-title", "declared");
        assertThat(app.prices().price("declared-model")).contains(ModelPrice.tokens("declared-model", 0, 0));
      } finally {
        app.stop();
      }
      // Starting again with the same file updates rather than duplicates.
      App again = App.start(config);
      again.stop();
      List<Channel> channels = withStores(stores -> stores.channels().listVisible());
      List<ApiKey> keys = withStores(stores -> stores.keys().listVisible());
      assertThat(channels).hasSize(1);
      assertThat(channels.get(0).secrets().all()).containsExactly("sk-upstream", "sk-upstream-2");
      assertThat(channels.get(0).paramOverrides().tree().path("metadata").path("source").asText()).isEqualTo("config");
      assertThat(channels.get(0).timeouts().firstByteMs()).isEqualTo(4000);
      assertThat(channels.get(0).groups()).containsExactlyInAnyOrder("default", "vip");
      assertThat(keys).extracting(ApiKey::models).containsExactly(Set.of("declared-model"));
    }
  }

  @Test
  void usersAndGroupsAreManagedFromTheCommandLine() throws Exception {
    assertThat(tollgate("admin", "group", "set", "vip", "--models", "m1,m2", "--ratio", "0.80").exit()).isZero();
    Run created = tollgate("admin", "user", "create", "--username", "Scripted", "--password", "secret-pw",
        "--email", "s@x.io", "--group", "vip", "--quota", "300");
    assertThat(created.exit()).as(created.err()).isZero();
    long id = Long.parseLong(created.out().strip());

    Run list = tollgate("admin", "user", "list", "--search", "script");
    assertThat(list.out()).contains("scripted").contains("vip").contains("300").contains("s@x.io");
    assertThat(tollgate("admin", "group", "list").out()).contains("vip").contains("0.8").contains("m1,m2");

    assertThat(tollgate("admin", "user", "topup", "scripted", "--cents", "-100", "--reason", "correction").out().strip())
        .isEqualTo("200");
    assertThat(tollgate("admin", "user", "set-password", "scripted", "--password", "changed-pw").exit()).isZero();
    assertThat(tollgate("admin", "user", "disable", "scripted").exit()).isZero();
    assertThat(tollgate("admin", "user", "set-group", "scripted", "default").exit()).isZero();

    User stored = withStores(stores -> stores.users().findById(id).orElseThrow());
    assertThat(stored.status()).isEqualTo(UserStatus.DISABLED);
    assertThat(stored.group()).isEqualTo("default");
    assertThat(stored.quota()).isEqualTo(Money.centsToMicros(200));
    assertThat(Passwords.matches("changed-pw", stored.passwordHash())).isTrue();
    assertThat(tollgate("admin", "group", "delete", "vip").exit()).isZero();

    Run missing = tollgate("admin", "user", "disable", "nobody");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no user 'nobody'");
    Run badRole = tollgate("admin", "user", "create", "--username", "other", "--password", "secret-pw", "--role", "root");
    assertThat(badRole.exit()).isEqualTo(2);
    assertThat(badRole.err()).contains("one root");
    Run badGroup = tollgate("admin", "group", "set", "bad name");
    assertThat(badGroup.exit()).isEqualTo(2);
    assertThat(badGroup.err()).contains("'name'");
  }

  @Test
  void rootsPasswordCanBeResetFromTheCommandLine() {
    assertThat(tollgate("admin", "user", "set-password", "root", "--password", "new-root-pw").exit()).isZero();

    User root = withStores(stores -> stores.root());
    assertThat(Passwords.matches("new-root-pw", root.passwordHash())).isTrue();
  }

  @Test
  void keysAreMadeForAUserWithAddressLimitsAndListedByOwner() {
    assertThat(tollgate("admin", "user", "create", "--username", "keyowner", "--password", "secret-pw").exit()).isZero();
    Run created = tollgate("admin", "key", "create", "--name", "ci", "--user", "KeyOwner", "--allow-ips", "10.0.0.0/8,::1",
        "--plan", "2");
    assertThat(created.exit()).as(created.err()).isZero();
    tollgate("admin", "key", "create", "--name", "root-key");

    ApiKey stored = withStores(stores -> stores.keys().findByHash(KeySecrets.hash(created.out().strip())).orElseThrow());
    assertThat(stored.allowIps()).containsExactlyInAnyOrder("10.0.0.0/8", "::1");
    assertThat(stored.planId()).isEqualTo(2L);
    Run mine = tollgate("admin", "key", "list", "--user", "keyowner");
    assertThat(mine.out()).contains("ci").doesNotContain("root-key");
    assertThat(tollgate("admin", "key", "list").out()).contains("ci").contains("root-key");
    Run badRange = tollgate("admin", "key", "create", "--name", "bad", "--allow-ips", "example.com");
    assertThat(badRange.exit()).isEqualTo(2);
    assertThat(badRange.err()).contains("'allowIps'");
    assertThat(tollgate("admin", "key", "list", "--user", "nobody").err()).contains("no user 'nobody'");
  }

  @Test
  void plansAreSetListedAndGivenToUsersFromTheCommandLine() {
    Run set = tollgate("admin", "plan", "set", "team", "--qps", "5", "--rpm", "100", "--tpm", "50000");
    assertThat(set.exit()).as(set.err()).isZero();
    long id = Long.parseLong(set.out().strip());
    assertThat(tollgate("admin", "plan", "set", "team", "--concurrency", "3").exit()).isZero();
    assertThat(tollgate("admin", "plan", "list").out()).contains("team").contains("50000").contains("free");
    assertThat(tollgate("admin", "user", "create", "--username", "planned", "--password", "secret-pw").exit()).isZero();

    assertThat(tollgate("admin", "plan", "assign", "planned", "team").exit()).isZero();
    User planned = withStores(stores -> stores.users().findByUsername("planned").orElseThrow());
    assertThat(planned.planId()).isEqualTo(id);
    assertThat(tollgate("admin", "plan", "assign", "planned", "none").exit()).isZero();
    User unplanned = withStores(stores -> stores.users().findByUsername("planned").orElseThrow());
    assertThat(unplanned.planId()).isNull();
    assertThat(tollgate("admin", "plan", "assign", "planned", "nosuch").err()).contains("no plan 'nosuch'");
    assertThat(tollgate("admin", "plan", "set", "Bad Name").exit()).isEqualTo(2);
  }

  @Test
  void pricesAndRedemptionCodesAreManagedFromTheCommandLine() {
    Run set = tollgate("admin", "price", "set", "gpt-x", "--input", "250", "--output", "1000.5", "--cached-input", "0.000001");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(tollgate("admin", "price", "set", "gpt-x", "--input", "200", "--output", "800").err()).contains("changed");
    assertThat(tollgate("admin", "price", "list").out()).contains("gpt-x").contains("200").contains("800");
    ModelPrice stored = withStores(stores -> new PriceRepository(stores.sql(), Clock.systemUTC()).find("gpt-x").orElseThrow());
    assertThat(stored).isEqualTo(ModelPrice.tokens("gpt-x", 200_000_000L, 800_000_000L));

    Run tooPrecise = tollgate("admin", "price", "set", "gpt-y", "--input", "0.0000001", "--output", "1");
    assertThat(tooPrecise.exit()).isEqualTo(2);
    assertThat(tooPrecise.err()).contains("'inputPrice'").contains("6 decimal places");
    assertThat(tollgate("admin", "price", "delete", "gpt-x").exit()).isZero();
    assertThat(tollgate("admin", "price", "delete", "gpt-x").exit()).isEqualTo(1);

    Run codes = tollgate("admin", "redemption", "launch", "--amount", "500", "--count", "3");
    assertThat(codes.exit()).as(codes.err()).isZero();
    List<String> printed = codes.out().lines().toList();
    assertThat(printed).hasSize(3).allMatch(code -> code.startsWith("tgr-"));
    long userId = withStores(stores -> stores.root().id());
    RedemptionCode redeemed = withStores(stores ->
        new Redemptions(new RedemptionRepository(stores.sql(), Clock.systemUTC())).redeem(printed.get(1), userId));
    assertThat(redeemed.amount()).isEqualTo(Money.centsToMicros(500));
    assertThat(tollgate("admin", "redemption", "bad", "--amount", "0").err()).contains("'amount'");
    Run credit = tollgate("admin", "user", "topup", "root", "--cents", "700", "--reason", "operator credit");
    assertThat(credit.exit()).as(credit.err()).isZero();
    assertThat(credit.out().strip()).as("the redeemed 500 and these 700").isEqualTo("1200");
  }

  /** Whether the secret is anywhere in the database: in SQLite's files, or in any stored row. */
  private boolean databaseBytesContain(String secret) throws Exception {
    if (scratch.kind() != TestDatabase.SQLITE) {
      return withStores(stores -> {
        for (String table : List.of("channels", "api_keys", "usage_records")) {
          List<String> rows = stores.sql().list("SELECT * FROM " + table, row -> {
            StringBuilder all = new StringBuilder();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
              all.append(row.getString(i)).append('|');
            }
            return all.toString();
          });
          if (rows.stream().anyMatch(r -> r.contains(secret))) {
            return true;
          }
        }
        return false;
      });
    }
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    for (Path file : List.of(dir.resolve("data/tollgate.db"), dir.resolve("data/tollgate.db-wal"))) {
      if (Files.exists(file) && indexOf(Files.readAllBytes(file), needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

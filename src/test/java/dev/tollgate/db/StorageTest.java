package dev.tollgate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.account.ApiKey;
import dev.tollgate.account.ApiKeyRepository;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelRepository;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.config.SecretBox;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The repositories against each database the product supports: the same statements must mean the
 * same thing on SQLite, PostgreSQL and MariaDB (issue 11). Each case gets a scratch database.
 */
class StorageTest {

  @TempDir Path dir;

  private static final Clock CLOCK = Clock.systemUTC();

  private static TollgateConfig config(Path dir, String url) {
    return TollgateConfig.defaults().withDatabase(new TollgateConfig.Database(url, null, null, 2, 2_000, 5, null)).withDataDir(dir.toString());
  }

  private record Stores(Database database, ApiKeyRepository keys, ChannelRepository channels, UsageRepository usage)
      implements AutoCloseable {
    static Stores open(Path dir, TestDatabase.Scratch scratch) {
      Database database = Database.open(config(dir, scratch.url()));
      Sql sql = new Sql(database.dataSource());
      return new Stores(database, new ApiKeyRepository(sql, CLOCK),
          new ChannelRepository(sql, new SecretBox(new byte[32]), CLOCK), new UsageRepository(sql));
    }

    @Override
    public void close() {
      database.close();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void apiKeysRoundTripWithEmojiAndMoneyAtTheEdgesOfBigint(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      String name = "prod 🔑 clé — 鍵";
      ApiKey created = stores.keys().insert(new ApiKeyRepository.NewKey(
          1, name, "a".repeat(64), "sk-abc…", Long.MAX_VALUE, Set.of("gpt-4.1", "claude-😀"), Instant.ofEpochMilli(4102444800123L),
          null, Set.of("10.0.0.0/8", "::1")));
      new Sql(stores.database().dataSource()).update("UPDATE api_keys SET used_quota = ? WHERE id = ?", Long.MIN_VALUE, created.id());

      ApiKey read = stores.keys().findByHash("a".repeat(64)).orElseThrow();
      assertThat(read.name()).isEqualTo(name);
      assertThat(read.quotaLimit()).isEqualTo(Long.MAX_VALUE);
      assertThat(read.usedQuota()).isEqualTo(Long.MIN_VALUE);
      assertThat(read.models()).containsExactlyInAnyOrder("gpt-4.1", "claude-😀");
      assertThat(read.expiresAt()).isEqualTo(Instant.ofEpochMilli(4102444800123L));
      assertThat(read.status()).isEqualTo(KeyStatus.ENABLED);
      assertThat(read.allowIps()).containsExactlyInAnyOrder("10.0.0.0/8", "::1");

      assertThat(stores.keys().setStatus(read.id(), KeyStatus.DISABLED)).isTrue();
      assertThat(stores.keys().findById(read.id()).orElseThrow().status()).isEqualTo(KeyStatus.DISABLED);
      assertThat(stores.keys().setStatus(read.id(), KeyStatus.DELETED)).isTrue();
      assertThat(stores.keys().setStatus(read.id(), KeyStatus.ENABLED)).as("a deleted key stays deleted").isFalse();
      assertThat(stores.keys().listVisible()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void keyHashesAreUniqueAndDeclaredKeysUpdateInPlace(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      ApiKeyRepository.NewKey key = new ApiKeyRepository.NewKey(1, "one", "b".repeat(64), "sk-b", null, Set.of(), null, null, Set.of());
      stores.keys().insert(key);
      assertThatThrownBy(() -> stores.keys().insert(key)).isInstanceOf(Sql.DataAccessException.class);

      stores.keys().upsertDeclared(new ApiKeyRepository.NewKey(1, "renamed", "b".repeat(64), "sk-b", 5L, Set.of("m"), null, null, Set.of()));
      assertThat(stores.keys().listVisible()).singleElement().satisfies(k -> {
        assertThat(k.name()).isEqualTo("renamed");
        assertThat(k.quotaLimit()).isEqualTo(5L);
        assertThat(k.models()).containsExactly("m");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void channelsRoundTripAndADeletedChannelFreesItsName(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      String before = stores.channels().changeStamp();
      Channel channel = stores.channels().insert(new ChannelSpec("main ✨", "openai", "https://api.example.com/v1",
          "sk-secret", List.of("gpt-4.1", "gpt-4.1-mini"), Map.of("gpt-4.1", "gpt-4.1-2025-04-14"), 5, 3));
      assertThat(stores.channels().changeStamp()).isNotEqualTo(before);

      Channel read = stores.channels().findByName("main ✨").orElseThrow();
      assertThat(read.id()).isEqualTo(channel.id());
      assertThat(read.secrets().all()).containsExactly("sk-secret");
      assertThat(read.models()).containsExactlyInAnyOrder("gpt-4.1", "gpt-4.1-mini");
      assertThat(read.modelMapping()).containsEntry("gpt-4.1", "gpt-4.1-2025-04-14");
      assertThat(read.priority()).isEqualTo(5);
      assertThat(read.weight()).isEqualTo(3);

      assertThat(stores.channels().findByName("MAIN ✨")).as("names compare exactly, on every database").isEmpty();
      stores.channels().insert(new ChannelSpec("MAIN ✨", "openai", "https://b.example.com/v1", "k", List.of("x"), Map.of(), 0, 1));

      assertThat(stores.channels().setStatus(channel.id(), ChannelStatus.DELETED)).isTrue();
      assertThat(stores.channels().findByName("main ✨")).isEmpty();
      Channel again = stores.channels().insert(new ChannelSpec("main ✨", "anthropic", "https://c.example.com", "k2",
          List.of("claude"), Map.of(), 0, 1));
      assertThat(again.id()).isNotEqualTo(channel.id());
      assertThat(stores.channels().listVisible()).extracting(Channel::name).containsExactly("MAIN ✨", "main ✨");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void autoDisablingStoresTheReasonMovesTheStampAndEnablingClearsIt(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      Channel channel = stores.channels().insert(new ChannelSpec("auto", "openai", "https://a.example.com/v1", "sk-a",
          List.of("m"), Map.of(), 0, 1));
      Channel manual = stores.channels().insert(new ChannelSpec("manual", "openai", "https://b.example.com/v1", "sk-b",
          List.of("m"), Map.of(), 0, 1));
      assertThat(stores.channels().setStatus(manual.id(), ChannelStatus.DISABLED)).isTrue();
      String before = stores.channels().changeStamp();

      assertThat(stores.channels().autoDisable(channel.id(), "HTTP 401 (invalid_api_key) ✋")).isTrue();

      assertThat(stores.channels().changeStamp()).as("moves even within the same millisecond").isNotEqualTo(before);
      assertThat(stores.channels().findById(channel.id()).orElseThrow().status()).isEqualTo(ChannelStatus.AUTO_DISABLED);
      assertThat(stores.channels().statusReason(channel.id())).hasValue("HTTP 401 (invalid_api_key) ✋");
      assertThat(stores.channels().statusReasons()).containsOnlyKeys(channel.id());
      assertThat(stores.channels().autoDisable(channel.id(), "again")).as("already out of routing").isFalse();
      assertThat(stores.channels().autoDisable(manual.id(), "x")).as("an operator's disable stands").isFalse();
      assertThat(stores.channels().findById(manual.id()).orElseThrow().status()).isEqualTo(ChannelStatus.DISABLED);

      String disabled = stores.channels().changeStamp();
      assertThat(stores.channels().setStatus(channel.id(), ChannelStatus.ENABLED)).isTrue();

      assertThat(stores.channels().changeStamp()).isNotEqualTo(disabled);
      assertThat(stores.channels().findById(channel.id()).orElseThrow().status()).isEqualTo(ChannelStatus.ENABLED);
      assertThat(stores.channels().statusReason(channel.id())).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void channelSettingsRoundTripAndUpdateInPlace(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      ChannelSpec spec = new ChannelSpec("shaped 🚦", "openai", "https://api.example.com/v1",
          List.of("sk-first-key-🔑", "sk-second-key"), List.of("gpt-4.1"), Map.of(), 0, 1,
          ParamOverrides.parse("{\"max_tokens\":1024,\"metadata\":{\"team\":\"ü\"},\"temperature\":0.25}"),
          Map.of("OpenAI-Organization", "org-ü", "X-Title", "Tollgate"),
          new ChannelTimeouts(2_000, 15_000, null), List.of("vip", "default"));
      long id = stores.channels().insert(spec).id();

      Channel read = stores.channels().findById(id).orElseThrow();
      assertThat(read.secrets().all()).containsExactly("sk-first-key-🔑", "sk-second-key");
      assertThat(read.paramOverrides()).isEqualTo(spec.paramOverrides());
      assertThat(read.paramOverrides().tree().path("metadata").path("team").asText()).isEqualTo("ü");
      assertThat(read.extraHeaders()).containsOnly(Map.entry("OpenAI-Organization", "org-ü"), Map.entry("X-Title", "Tollgate"));
      assertThat(read.timeouts()).isEqualTo(new ChannelTimeouts(2_000, 15_000, null));
      assertThat(read.groups()).containsExactlyInAnyOrder("vip", "default");

      String before = stores.channels().changeStamp();
      assertThat(stores.channels().setStatus(id, ChannelStatus.DISABLED)).isTrue();
      ChannelSpec changed = read.toSpec().toBuilder().secrets(List.of("sk-third")).paramOverrides(ParamOverrides.NONE)
          .extraHeaders(Map.of()).timeouts(ChannelTimeouts.NONE).groups(List.of()).build();
      Channel updated = stores.channels().update(id, changed).orElseThrow();
      assertThat(updated.secrets().all()).containsExactly("sk-third");
      assertThat(updated.paramOverrides().isEmpty()).isTrue();
      assertThat(updated.extraHeaders()).isEmpty();
      assertThat(updated.timeouts().isNone()).isTrue();
      assertThat(updated.groups()).containsExactly("default");
      assertThat(updated.status()).as("an update keeps the status").isEqualTo(ChannelStatus.DISABLED);
      assertThat(stores.channels().changeStamp()).isNotEqualTo(before);

      assertThat(stores.channels().setStatus(id, ChannelStatus.DELETED)).isTrue();
      assertThat(stores.channels().update(id, changed)).as("a deleted channel stays deleted").isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aChannelStoredBeforeChannelsHadSeveralKeysReadsAsOneKeyInTheDefaultGroup(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      SecretBox box = new SecretBox(new byte[32]);
      new Sql(stores.database().dataSource()).update("INSERT INTO channels (name, type, base_url, secret_enc, models,"
              + " priority, weight, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          "old", "openai", "https://old.example/v1", box.encrypt("sk-stored-alone"), "m", 0, 1, "enabled", 1L, 1L);

      Channel old = stores.channels().findByName("old").orElseThrow();
      assertThat(old.secrets().all()).containsExactly("sk-stored-alone");
      assertThat(old.groups()).containsExactly("default");
      assertThat(old.timeouts().isNone()).isTrue();
      assertThat(old.paramOverrides().isEmpty()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void channelsArePagedByIdWithoutTheDeleted(TestDatabase kind) {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      for (int i = 1; i <= 5; i++) {
        stores.channels().insert(new ChannelSpec("c" + i, "openai", "https://c.example/v1", "k", List.of("m"), Map.of(), 0, 1));
      }
      stores.channels().setStatus(stores.channels().findByName("c2").orElseThrow().id(), ChannelStatus.DELETED);

      assertThat(stores.channels().countVisible()).isEqualTo(4);
      assertThat(stores.channels().listVisible(0, 3)).extracting(Channel::name).containsExactly("c1", "c3", "c4");
      assertThat(stores.channels().listVisible(3, 3)).extracting(Channel::name).containsExactly("c5");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void usageRecordsAreWrittenInOneBatchAndReadBackExactly(TestDatabase kind) throws Exception {
    try (TestDatabase.Scratch scratch = kind.create(dir); Stores stores = Stores.open(dir, scratch)) {
      Instant at = Instant.ofEpochMilli(1_763_900_000_123L);
      UsageRecord ok = new UsageRecord("req-1", at, 7, "model-🚀", "upstream-model", 3L, true, 1_000_000, 2,
          false, 12, 345, 200, null, List.of(
              new UsageRecord.Attempt(2, null, "timeout", 1_500), new UsageRecord.Attempt(9, 503, null, 4),
              new UsageRecord.Attempt(3, 200, null, 0)),
          5, 400_000, Long.MAX_VALUE, 12, new UsageRecord.Prices(300_000_000L, Long.MAX_VALUE, null, "0.85"), true, null);
      UsageRecord failed = new UsageRecord("req-2", at.plusMillis(1), 7, "m", null, null, false, 0, 0, true, null, 9,
          502, "upstream_error", List.of(), 5, 0, 0, 0, null, false, null);
      stores.usage().insertAll(List.of(ok, failed));

      assertThat(stores.usage().count()).isEqualTo(2);
      assertThat(stores.usage().byRequestId("req-1")).containsExactly(ok);
      assertThat(stores.usage().byRequestId("req-2")).containsExactly(failed);
      assertThat(stores.usage().recent(1)).containsExactly(failed);
    }
  }

  /** Two instances starting at once against one database: one migrates, the other waits. */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void twoInstancesMigratingAtOnceBothStartOnOneSchema(TestDatabase kind) throws Exception {
    try (TestDatabase.Scratch scratch = kind.create(dir)) {
      CyclicBarrier together = new CyclicBarrier(2);
      Callable<Database> start = () -> {
        together.await();
        return Database.open(config(dir, scratch.url()));
      };
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Database> first = pool.submit(start);
        Future<Database> second = pool.submit(start);
        try (Database a = first.get(); Database b = second.get()) {
          Sql sql = new Sql(a.dataSource());
          List<String> versions = sql.list(
              "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
              row -> row.getString(1) + (row.getBoolean(2) ? "" : " (failed)"));
          assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
          assertThat(b.isReachable(2)).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

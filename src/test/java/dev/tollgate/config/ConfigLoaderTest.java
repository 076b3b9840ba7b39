package dev.tollgate.config;

import dev.tollgate.db.DatabaseUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader();

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource(name).toURI());
  }

  @Test
  void fullFileIsReadWithSnakeCaseKeys() throws Exception {
    TollgateConfig config = loader.load(resource("full.yaml"), Map.of());

    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.server().bodyLimitBytes()).isEqualTo(1_048_576L);
    assertThat(config.upstream().firstByteTimeoutMs()).isEqualTo(45_000);
    assertThat(config.upstream().idleTimeoutMs()).isEqualTo(60_000);
    assertThat(config.upstream().connectTimeoutMs()).isEqualTo(TollgateConfig.defaults().upstream().connectTimeoutMs());
    assertThat(config.dataDir()).isEqualTo("/var/lib/tollgate");
    assertThat(config.admin().token()).isEqualTo("file-admin-token");
    assertThat(config.admin().toString()).doesNotContain("file-admin-token");
  }

  @Test
  void channelsAndKeysListsAreReadFromTheFile() throws Exception {
    TollgateConfig config = loader.load(resource("full.yaml"), Map.of());

    assertThat(config.channels()).singleElement().satisfies(channel -> {
      assertThat(channel.name()).isEqualTo("openai-main");
      assertThat(channel.type()).isEqualTo("openai");
      assertThat(channel.baseUrl()).isEqualTo("https://api.openai.com/v1");
      assertThat(channel.key()).isEqualTo("sk-provider-secret");
      assertThat(channel.models()).containsExactly("gpt-4o", "gpt-4o-mini");
      assertThat(channel.modelMapping()).containsExactly(Map.entry("gpt-4o", "gpt-4o-2024-08-06"));
      assertThat(channel.priority()).isEqualTo(10);
      assertThat(channel.weight()).isEqualTo(3);
      assertThat(channel.keys()).containsExactly("sk-provider-secret-2");
      assertThat(channel.paramOverrides().toString()).isEqualTo("{\"max_tokens\":1024,\"reasoning_effort\":\"low\"}");
      assertThat(channel.extraHeaders()).containsExactly(Map.entry("OpenAI-Organization", "org-1"));
      assertThat(channel.connectTimeoutMs()).isEqualTo(2000);
      assertThat(channel.firstByteTimeoutMs()).isEqualTo(20000);
      assertThat(channel.idleTimeoutMs()).isNull();
      assertThat(channel.groups()).containsExactly("default", "vip");
      assertThat(channel.toString()).doesNotContain("sk-provider-secret");
    });
    assertThat(config.keys()).singleElement().satisfies(key -> {
      assertThat(key.name()).isEqualTo("ci");
      assertThat(key.quotaCents()).isEqualTo(500L);
      assertThat(key.models()).containsExactly("gpt-4o-mini");
      assertThat(Dates.parse(key.expires())).isEqualTo(java.time.Instant.parse("2027-01-01T00:00:00Z"));
    });
  }

  @Test
  void billingTakesFreeModelsAndPricesAsNumbersOrDecimalStrings() throws IOException {
    TollgateConfig config = loader.load(yaml("""
        billing:
          free_models: ["local-*", exact]
          reserve_output_tokens: 1024
          hide_quota_headers: true
          prices:
            - {model: gpt-4.1, input: 200, output: "800.5", cached_input: 0.000001}
        """), Map.of("TOLLGATE_BILLING_SKIP_RECONCILIATION", "true"));

    TollgateConfig.Billing billing = config.billing();
    assertThat(billing.freeModels()).containsExactly("local-*", "exact");
    assertThat(billing.reserveOutputTokens()).isEqualTo(1024);
    assertThat(billing.hideQuotaHeaders()).isTrue();
    assertThat(billing.skipReconciliation()).isTrue();
    assertThat(billing.prices()).singleElement().satisfies(price -> {
      dev.tollgate.billing.ModelPrice parsed = dev.tollgate.billing.ModelPrice.ofCents(price.model(), price.input(),
          price.output(), price.cachedInput(), price.image(), price.audioSecond(), price.character());
      assertThat(parsed).isEqualTo(new dev.tollgate.billing.ModelPrice("gpt-4.1", 200_000_000L, 800_500_000L, 1L,
          null, null, null));
    });
    assertThat(TollgateConfig.defaults().billing().reserveOutputTokens()).isEqualTo(4096);
    assertThat(TollgateConfig.defaults().billing().skipReconciliation()).isFalse();
  }

  @Test
  void rateLimitPlansAndRedisAreReadAndTheRedisPasswordIsNeverShown() throws IOException {
    TollgateConfig config = loader.load(yaml("""
        rate_limits:
          plans:
            - {name: team, qps: 20, rpm: 600, tpm: 1000000, max_concurrent: 8}
          redis_failure: closed
        redis:
          key_prefix: "prod:"
        """), Map.of("TOLLGATE_REDIS_URL", "redis://tollgate:hunter2-secret@redis.internal:6380/2",
        "TOLLGATE_RATE_LIMITS_CONCURRENCY_LEASE_SECONDS", "600"));

    assertThat(config.rateLimits().plans()).containsExactly(new TollgateConfig.PlanDecl("team", 20L, 600L, 1_000_000L, 8));
    assertThat(config.rateLimits().failOpen()).isFalse();
    assertThat(config.rateLimits().concurrencyLeaseSeconds()).isEqualTo(600);
    assertThat(config.redis().enabled()).isTrue();
    assertThat(config.redis().url()).isEqualTo("redis://tollgate:hunter2-secret@redis.internal:6380/2");
    assertThat(config.redis().keyPrefix()).isEqualTo("prod:");
    assertThat(config.redis().timeoutMs()).isEqualTo(250);
    assertThat(config.redis().describe()).isEqualTo("redis://***@redis.internal:6380/2");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void redisIsOffAndFailOpenByDefaultAndAnUnknownFailureModeIsRefused() throws IOException {
    TollgateConfig defaults = TollgateConfig.defaults();
    assertThat(defaults.redis().enabled()).isFalse();
    assertThat(defaults.rateLimits().failOpen()).isTrue();

    assertThatThrownBy(() -> loader.load(yaml("rate_limits: {redis_failure: maybe}"), Map.of()))
        .hasMessageContaining("'open' or 'closed'");
  }

  @Test
  void accessLogIsOnByDefaultAndTurnedOffInTheFileOrTheEnvironment() throws IOException {
    assertThat(TollgateConfig.defaults().log().accessOff()).isFalse();

    assertThat(loader.load(yaml("log: {access_off: true}"), Map.of()).log().accessOff()).isTrue();
    assertThat(loader.load(null, Map.of("TOLLGATE_LOG_ACCESS_OFF", "true")).log().accessOff()).isTrue();
    assertThat(TollgateConfig.defaults().log().accessPrompts()).as("prompts only when debugging").isFalse();
    assertThat(loader.load(yaml("log: {access_prompts: true, access_file: /var/log/tg.log}"), Map.of()).log())
        .isEqualTo(new TollgateConfig.Log(false, "/var/log/tg.log", true));
    assertThatThrownBy(() -> loader.load(yaml("log: {access_answers: true}"), Map.of()))
        .as("answers are never logged: no such switch").isInstanceOf(ConfigException.class);
  }

  @Test
  void emptyFileGivesDefaults() throws IOException {
    TollgateConfig config = loader.load(yaml(""), Map.of());

    assertThat(config).isEqualTo(TollgateConfig.defaults());
  }

  @Test
  void noFileGivesDefaults() {
    TollgateConfig config = loader.load(null, Map.of());

    assertThat(config).isEqualTo(TollgateConfig.defaults());
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.server().bodyLimitBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(config.upstream().firstByteTimeoutMs()).isEqualTo(300_000);
    assertThat(config.dataDir()).isEqualTo("./data");
    assertThat(config.channels()).isEmpty();
    assertThat(config.keys()).isEmpty();
    assertThat(DatabaseUrl.of(config).jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data").resolve("tollgate.db"));
  }

  @Test
  void missingFileIsAConfigError() {
    assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absent.yaml");
  }

  @Test
  void configVariableChoosesTheFile() throws IOException {
    Path file = yaml("server:\n  port: 7000\n");

    TollgateConfig config = loader.load(null, Map.of("TOLLGATE_CONFIG", file.toString()));

    assertThat(config.server().port()).isEqualTo(7000);
  }

  @Test
  void unknownTopLevelKeyIsAConfigError() throws IOException {
    Path file = yaml("server:\n  port: 9000\nsevrer_typo: 1\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sevrer_typo");
  }

  @Test
  void unknownNestedKeyIsAConfigError() throws IOException {
    Path file = yaml("server:\n  prot: 9000\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("prot");
  }

  @Test
  void camelCaseKeyIsNotAcceptedForSnakeCase() throws IOException {
    Path file = yaml("dataDir: /x\n");

    assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class);
  }

  @Test
  void wrongValueTypeIsAConfigError() throws IOException {
    Path file = yaml("server:\n  port: not-a-number\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid configuration");
  }

  @Test
  void fileThatIsNotAMappingIsAConfigError() throws IOException {
    Path file = yaml("- a\n- b\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mapping");
  }

  @Test
  void malformedYamlIsAConfigError() throws IOException {
    Path file = yaml("server: [unclosed\n");

    assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class);
  }

  @Test
  void environmentOverridesTakePrecedenceOverTheFile() throws Exception {
    Map<String, String> env = Map.of(
        "TOLLGATE_SERVER_PORT", "9191",
        "TOLLGATE_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", "1234",
        "TOLLGATE_DATA_DIR", "/tmp/elsewhere",
        "TOLLGATE_SECRET_KEY", "c2VjcmV0",
        "TOLLGATE_ADMIN_TOKEN", "env-admin-token",
        "UNRELATED", "x");

    TollgateConfig config = loader.load(resource("full.yaml"), env);

    assertThat(config.server().port()).isEqualTo(9191);
    assertThat(config.server().host()).isEqualTo("127.0.0.1"); // untouched settings stay from the file
    assertThat(config.upstream().firstByteTimeoutMs()).isEqualTo(1234);
    assertThat(config.upstream().idleTimeoutMs()).isEqualTo(60_000);
    assertThat(config.dataDir()).isEqualTo("/tmp/elsewhere");
    assertThat(config.secretKey()).isEqualTo("c2VjcmV0");
    assertThat(config.admin().token()).isEqualTo("env-admin-token");
    assertThat(config.channels()).hasSize(1);
  }

  @Test
  void environmentOverridesApplyWithoutAFile() {
    TollgateConfig config = loader.load(null, Map.of("TOLLGATE_SERVER_PORT", "9292", "TOLLGATE_DATABASE_URL", "jdbc:sqlite:/tmp/x.db"));

    assertThat(config.server().port()).isEqualTo(9292);
    assertThat(config.database().url()).isEqualTo("jdbc:sqlite:/tmp/x.db");
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void invalidEnvironmentValueIsAConfigError() {
    assertThatThrownBy(() -> loader.load(null, Map.of("TOLLGATE_SERVER_PORT", "eighty")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void knownVariablesListsEveryScalarSettingAndNoLists() {
    assertThat(ConfigLoader.knownVariables())
        .contains(
            "TOLLGATE_CONFIG",
            "TOLLGATE_SERVER_HOST",
            "TOLLGATE_SERVER_PORT",
            "TOLLGATE_SERVER_BODY_LIMIT_BYTES",
            "TOLLGATE_UPSTREAM_FIRST_BYTE_TIMEOUT_MS",
            "TOLLGATE_DATABASE_URL",
            "TOLLGATE_USAGE_BATCH_SIZE",
            "TOLLGATE_DATA_DIR",
            "TOLLGATE_SECRET_KEY",
            "TOLLGATE_ADMIN_TOKEN")
        .doesNotContain("TOLLGATE_CHANNELS", "TOLLGATE_KEYS")
        .doesNotHaveDuplicates()
        .allSatisfy(name -> assertThat(name).matches("TOLLGATE_[A-Z0-9_]+"));
  }

  @Test
  void everyKnownVariableIsHonoured() {
    // Each variable, set alone, must change the loaded config: numbers for numeric settings,
    // "true" for switches (all default to false), "closed" for rate_limits.redis_failure (open by
    // default), text for the others.
    for (String variable : ConfigLoader.knownVariables()) {
      if (variable.equals("TOLLGATE_CONFIG")) {
        continue;
      }
      TollgateConfig config = null;
      for (String value : List.of("4321", "true", "closed", "custom", "custom-and-long-enough-for-a-secret-of-32-characters")) {
        try {
          config = loader.load(null, Map.of(variable, value));
          break;
        } catch (ConfigException refusedForItsType) {
          // try the next kind of value
        }
      }
      assertThat(config).as(variable).isNotNull().isNotEqualTo(TollgateConfig.defaults());
    }
  }
}

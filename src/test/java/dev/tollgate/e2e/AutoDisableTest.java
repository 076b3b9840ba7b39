package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.cli.TollgateCommand;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream.Fault;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord.Attempt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel whose upstream refuses its key or account leaves routing by itself, with the reason
 * stored, and comes back when an operator enables it with the CLI. Its clients never hear about
 * the key.
 */
@Timeout(30)
@UsesDatabase
class AutoDisableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir static Path cliDir;
  static TestGateway gateway;
  static MockOpenAiUpstream refusing;
  static MockOpenAiUpstream healthy;
  static String key;
  static String url;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start(dataDir);
    refusing = new MockOpenAiUpstream();
    healthy = new MockOpenAiUpstream();
    key = gateway.createKey();
    url = gateway.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    gateway.close();
    refusing.close();
    healthy.close();
  }

  private static Channel channel(long id) {
    return gateway.app().stores().channels().findById(id).orElseThrow();
  }

  private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + millis + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static boolean routed(String model, long channelId) {
    return gateway.app().catalog().channelsFor(model, "default").stream().anyMatch(c -> c.id() == channelId);
  }

  /** Runs the CLI, as an operator would, from another process's point of view: only the database is shared. */
  private static String cli(String... args) throws Exception {
    Path config = cliDir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: " + gateway.dataDir() + "\ndatabase:\n  url: \"" + gateway.databaseUrl() + "\"\n");
    var command = TollgateCommand.commandLine();
    StringWriter out = new StringWriter();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    assertThat(command.execute(all)).isZero();
    return out.toString();
  }

  @Test
  void anInvalidKeyDisablesTheChannelTheClientIsServedElsewhereAndEnablingBringsItBack() throws Exception {
    refusing.inject(Fault.INVALID_KEY, 1);
    long bad = gateway.addChannel("openai", refusing.baseUrl(), List.of("ad-model"), Map.of("ad-model", "mock-text"), 10, 1);
    long good = gateway.addChannel("openai", healthy.baseUrl(), List.of("ad-model"), Map.of("ad-model", "mock-text"), 0, 1);

    HttpResponse<String> response = Http.postJson(url, key, chat("ad-model", false));

    assertThat(response.statusCode()).as("served by the other channel").isEqualTo(200);
    assertThat(response.body()).contains("Hello there!").doesNotContain("API key");
    var record = Records.await(gateway, response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.attempts()).extracting(Attempt::channelId, Attempt::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(bad, 401), org.assertj.core.groups.Tuple.tuple(good, 200));

    await(() -> !routed("ad-model", bad), 1_000, "the channel leaves routing within 1 s");
    assertThat(channel(bad).status()).isEqualTo(ChannelStatus.AUTO_DISABLED);
    String reason = gateway.app().stores().channels().statusReason(bad).orElseThrow();
    assertThat(reason).contains("HTTP 401").contains("invalid_api_key").doesNotContain("sk-upstr").doesNotContain("cret");
    assertThat(cli("admin", "channel", "list")).contains("auto_disabled").contains("(" + reason + ")");
    com.fasterxml.jackson.databind.JsonNode viewed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Http.get(gateway.baseUrl() + "/api/channel/" + bad, TestGateway.ADMIN_TOKEN).body());
    assertThat(viewed.path("status").asText()).as("the admin API shows why").isEqualTo("auto_disabled");
    assertThat(viewed.path("statusReason").asText()).isEqualTo(reason);

    for (int i = 0; i < 3; i++) {
      assertThat(Http.postJson(url, key, chat("ad-model", false)).statusCode()).isEqualTo(200);
    }
    assertThat(refusing.chatRequests()).as("no more traffic to the disabled channel").isEqualTo(1);

    refusing.heal();
    cli("admin", "channel", "enable", String.valueOf(bad));

    assertThat(gateway.app().stores().channels().statusReason(bad)).isEmpty();
    await(() -> routed("ad-model", bad), 2_000, "the enabled channel is routed again");
    assertThat(Http.postJson(url, key, chat("ad-model", false)).statusCode()).isEqualTo(200);
    assertThat(refusing.chatRequests()).as("back in its priority group").isEqualTo(2);
  }

  @Test
  void withNoOtherChannelTheClientGetsAServerErrorNeverAnInvalidKey() throws Exception {
    MockOpenAiUpstream noQuota = new MockOpenAiUpstream().inject(Fault.NO_QUOTA, 1);
    try {
      long only = gateway.addChannel("openai", noQuota.baseUrl(), List.of("ad-alone"), Map.of("ad-alone", "mock-text"));

      HttpResponse<String> response = Http.postJson(url, key, chat("ad-alone", false));

      assertThat(response.statusCode()).isEqualTo(502);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("upstream_error");
      assertThat(response.body()).doesNotContain("quota").doesNotContain("invalid_api_key");
      await(() -> channel(only).status() == ChannelStatus.AUTO_DISABLED, 1_000, "auto-disabled");
      assertThat(gateway.app().stores().channels().statusReason(only).orElseThrow())
          .startsWith("the upstream account has no balance left (HTTP 429 insufficient_quota)");
    } finally {
      noQuota.close();
    }
  }
}

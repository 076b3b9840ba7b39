package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics and the access log after real traffic: a served request, a streamed one, one the
 * upstream fails (mock-500, on a channel whose circuit opens at the first failure) and one for a
 * model no channel serves. The traffic is sent once; each test reads one aspect of it.
 */
@UsesDatabase
class MetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMPT = "Say hello"; // what Http.chat sends
  /** Circuits open at the first failure and stay open: the failing channel's gauge shows it. */
  private static final TollgateConfig.Routing ROUTING =
      new TollgateConfig.Routing(3, 30_000, 0, new TollgateConfig.Circuit(1, 101, 0, 0, 300));

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static long healthy;
  static long failing;
  static String key;
  static String served;
  static String streamed;
  static String failed;
  static String unknown;
  static List<Sample> scrape;

  @BeforeAll
  static void sendTraffic() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, 1_500, 1_500, ROUTING);
    healthy = gateway.addChannel(new ChannelSpec("healthy", "openai", upstream.baseUrl(), List.of("sk-upstream-healthy"),
        List.of("priced-metrics"), null, 0, 1, null, null, null, null));
    failing = gateway.addChannel(new ChannelSpec("failing", "openai", upstream.baseUrl(), List.of("sk-upstream-failing"),
        List.of("mock-500"), null, 0, 1, null, null, null, null));
    ManagementClient api = gateway.api();
    api.call("PUT", "/api/model/priced-metrics", "{\"inputPrice\":1000000,\"outputPrice\":2000000}", TestGateway.ADMIN_TOKEN);
    key = keyWithQuota(api);

    served = send("priced-metrics", false, 200);
    streamed = send("priced-metrics", true, 200);
    failed = send("mock-500", false, 502);
    unknown = send("no-such-model-from-a-caller", false, 404);
    awaitWriterIdle();
    HttpResponse<String> metrics = Http.get(gateway.baseUrl() + "/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    scrape = Sample.parse(metrics.body());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static String keyWithQuota(ManagementClient api) {
    Reply user = api.call("POST", "/api/user",
        ManagementClient.json("username", "metered", "password", "metered-password").replace("}", ",\"quota\":100000}"),
        TestGateway.ADMIN_TOKEN);
    assertThat(user.status()).as(user.raw().body()).isEqualTo(201);
    Reply created = api.call("POST", "/api/token", "{\"name\":\"metered-key\"}", api.login("metered", "metered-password"));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.body().path("key").asText();
  }

  private static String send(String model, boolean stream, int status) {
    HttpResponse<String> response =
        Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, Http.chat(model, stream), Map.of());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    Records.await(gateway, id);
    return id;
  }

  /** The records are in the database; the writer may still be finishing its batch. */
  private static void awaitWriterIdle() {
    long deadline = System.currentTimeMillis() + 5_000;
    while (gateway.app().usageWriter().pending() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The value of the one sample with this name and (at least) these labels. */
  private static double value(String name, String... labels) {
    List<Sample> found = samples(name, labels);
    assertThat(found).as(name + " " + List.of(labels)).hasSize(1);
    return found.get(0).value();
  }

  private static List<Sample> samples(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return scrape.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
        .toList();
  }

  @Test
  void requestsAreCountedByProtocolModelAndOutcome() {
    assertThat(value("tollgate_requests_total", "protocol", "openai", "model", "priced-metrics", "status", "success"))
        .isEqualTo(2);
    assertThat(value("tollgate_requests_total", "protocol", "openai", "model", "priced-metrics", "status", "failed"))
        .isZero();
    assertThat(value("tollgate_requests_total", "protocol", "openai", "model", "mock-500", "status", "failed"))
        .isEqualTo(1);
    assertThat(value("tollgate_requests_total", "protocol", "openai", "model", "other", "status", "failed"))
        .isEqualTo(1);
    assertThat(samples("tollgate_requests_total"))
        .as("a model no channel serves is no label")
        .noneMatch(s -> s.labels().get("model").equals("no-such-model-from-a-caller"));
  }

  @Test
  void latencyHistogramsHaveTheirBucketsForServedRequests() {
    for (String histogram : List.of("tollgate_request_first_byte_seconds", "tollgate_request_duration_seconds")) {
      List<Sample> buckets = samples(histogram + "_bucket", "protocol", "openai", "model", "priced-metrics");
      assertThat(buckets).extracting(s -> s.labels().get("le"))
          .as(histogram)
          .contains("0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "300.0", "+Inf")
          .hasSize(13);
      assertThat(value(histogram + "_bucket", "model", "priced-metrics", "le", "+Inf")).isEqualTo(2);
      assertThat(value(histogram + "_count", "protocol", "openai", "model", "priced-metrics")).isEqualTo(2);
      assertThat(samples(histogram + "_count", "model", "mock-500")).as("failures are no latency").allMatch(s -> s.value() == 0);
    }
  }

  @Test
  void tokensAndCostAreCountedByModel() {
    // The mock's usage, twice: 11 prompt tokens (4 of them cached) and 3 completion tokens.
    assertThat(value("tollgate_tokens_total", "model", "priced-metrics", "type", "prompt")).isEqualTo(22);
    assertThat(value("tollgate_tokens_total", "model", "priced-metrics", "type", "completion")).isEqualTo(6);
    assertThat(value("tollgate_tokens_total", "model", "priced-metrics", "type", "cached")).isEqualTo(8);
    assertThat(value("tollgate_cost_cents_total", "model", "priced-metrics")).isEqualTo(34); // 2 × (11 × 1 + 3 × 2)
    assertThat(value("tollgate_cost_cents_total", "model", "mock-500")).isZero();
  }

  @Test
  void upstreamAttemptsAndFailuresAreCountedByChannel() {
    assertThat(value("tollgate_upstream_attempts_total", "channel", Long.toString(healthy))).isEqualTo(2);
    assertThat(value("tollgate_upstream_attempts_total", "channel", Long.toString(failing))).isEqualTo(1);
    assertThat(value("tollgate_upstream_failures_total", "channel", Long.toString(failing), "reason", "500")).isEqualTo(1);
    assertThat(samples("tollgate_upstream_failures_total", "channel", Long.toString(healthy))).isEmpty();
  }

  @Test
  void circuitGaugesShowEachCalledChannelsState() {
    assertThat(value("tollgate_circuit_state", "channel", Long.toString(healthy))).isZero();
    assertThat(value("tollgate_circuit_state", "channel", Long.toString(failing))).as("open").isEqualTo(2);
  }

  @Test
  void theUsageWriterBacklogAndTheRateLimitMetersAreThere() {
    assertThat(value("tollgate_usage_writer_pending")).isZero();
    assertThat(value("tollgate_ratelimit_rejections_total", "limit", "rpm")).isZero();
  }

  @Test
  void eachRequestHasOneAccessLineWithItsIdAndNoKeyOrPrompt() throws Exception {
    List<String> access = gateway.accessLines(4);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : access) {
      if (line.startsWith("{\"time\"")) {
        lines.add(JSON.readTree(line));
      }
    }
    for (String id : List.of(served, streamed, failed, unknown)) {
      assertThat(lines).filteredOn(json -> json.path("requestId").asText().equals(id)).as(id).hasSize(1);
    }
    JsonNode failure = lines.stream().filter(json -> json.path("requestId").asText().equals(failed)).findFirst().orElseThrow();
    assertThat(failure.path("status").asText()).isEqualTo("failed");
    assertThat(failure.path("errorCode").asText()).isEqualTo("upstream_error");
    assertThat(failure.path("channelId").asLong()).isEqualTo(failing);
    assertThat(failure.path("attempts").get(0).path("status").asInt()).isEqualTo(500);

    assertThat(access).hasSize(4).allSatisfy(line -> assertThat(line)
        .doesNotContain(key)
        .doesNotContain("sk-")
        .doesNotContain(PROMPT)
        .doesNotContain("Hello")); // the mock's answer
  }

  /** One line of the Prometheus text format: {@code name{label="value",…} value}. */
  record Sample(String name, Map<String, String> labels, double value) {

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static List<Sample> parse(String text) {
      List<Sample> samples = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher matcher = LINE.matcher(line);
        assertThat(matcher.matches()).as(line).isTrue();
        Map<String, String> labels = new LinkedHashMap<>();
        if (matcher.group(2) != null) {
          Matcher label = LABEL.matcher(matcher.group(2));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
        }
        samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
      }
      return samples;
    }
  }
}

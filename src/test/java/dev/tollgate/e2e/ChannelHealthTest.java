package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.CircuitState;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream.Fault;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord.Attempt;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Circuits on real traffic: a failing channel is taken out of routing after 3 failures in a row,
 * and comes back through a half-open probe after its cool-down, or earlier through the health probe.
 */
@Timeout(30)
@UsesDatabase
class ChannelHealthTest {

  @TempDir Path dataDir;

  private static TollgateConfig.Routing routing(int coolDownSeconds, int probeIntervalSeconds) {
    // 3 failures in a row open a circuit; the failure-rate rule is out of reach (101 %).
    return new TollgateConfig.Routing(3, 10_000, probeIntervalSeconds,
        new TollgateConfig.Circuit(3, 101, 20, 60, coolDownSeconds));
  }

  private static ChannelHealth.Status circuit(TestGateway gateway, long channel) {
    return gateway.app().channelHealth().snapshot().get(channel);
  }

  private static HttpResponse<String> ask(TestGateway gateway, String key, String model) {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, chat(model, false));
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  @Test
  void anOpenCircuitIsSkippedThenAHalfOpenProbeClosesIt() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir, 1_000, 1_000, routing(1, 0));
        MockOpenAiUpstream failing = new MockOpenAiUpstream().inject(Fault.STATUS_500, 1);
        MockOpenAiUpstream healthy = new MockOpenAiUpstream()) {
      long flaky = gateway.addChannel("openai", failing.baseUrl(), List.of("cb"), Map.of("cb", "mock-text"), 10, 1);
      long steady = gateway.addChannel("openai", healthy.baseUrl(), List.of("cb"), Map.of("cb", "mock-text"), 0, 1);
      String key = gateway.createKey();

      for (int i = 0; i < 3; i++) {
        ask(gateway, key, "cb");
      }
      assertThat(failing.chatRequests()).isEqualTo(3);
      ChannelHealth.Status open = circuit(gateway, flaky);
      assertThat(open.state()).isEqualTo(CircuitState.OPEN);
      assertThat(open.consecutiveFailures()).isEqualTo(3);
      assertThat(open.openedAt()).isNotNull();
      assertThat(circuit(gateway, steady).state()).isEqualTo(CircuitState.CLOSED);
      com.fasterxml.jackson.databind.JsonNode viewed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          Http.get(gateway.baseUrl() + "/api/channel/" + flaky, TestGateway.ADMIN_TOKEN).body());
      assertThat(viewed.at("/circuit/state").asText()).as("the admin API shows the circuit").isEqualTo("open");
      assertThat(viewed.at("/circuit/consecutiveFailures").asInt()).isEqualTo(3);
      assertThat(viewed.at("/circuit/openedAt").asText()).isEqualTo(open.openedAt().toString());

      HttpResponse<String> skipping = ask(gateway, key, "cb");
      assertThat(failing.chatRequests()).as("skipped while open").isEqualTo(3);
      assertThat(Records.await(gateway, skipping.headers().firstValue("x-request-id").orElseThrow()).attempts())
          .extracting(Attempt::channelId).containsExactly(steady);

      failing.heal();
      Thread.sleep(1_100); // the cool-down: 1 s
      ask(gateway, key, "cb");

      assertThat(failing.chatRequests()).as("the half-open probe").isEqualTo(4);
      assertThat(circuit(gateway, flaky).state()).isEqualTo(CircuitState.CLOSED);
      ask(gateway, key, "cb");
      assertThat(failing.chatRequests()).as("routed again").isEqualTo(5);
    }
  }

  @Test
  void whenEveryCircuitIsOpenTheClientGets503() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir, 1_000, 1_000, routing(30, 0));
        MockOpenAiUpstream failing = new MockOpenAiUpstream().inject(Fault.STATUS_500, 1)) {
      gateway.addChannel("openai", failing.baseUrl(), List.of("cb-all"), Map.of("cb-all", "mock-text"));
      String key = gateway.createKey();
      String url = gateway.baseUrl() + "/v1/chat/completions";
      for (int i = 0; i < 3; i++) {
        assertThat(Http.postJson(url, key, chat("cb-all", false)).statusCode()).isEqualTo(502);
      }

      HttpResponse<String> response = Http.postJson(url, key, chat("cb-all", false));

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("no_available_node");
      assertThat(failing.chatRequests()).isEqualTo(3);
    }
  }

  @Test
  void theHealthProbeClosesACircuitBeforeItsCoolDownEnds() throws Exception {
    try (TestGateway gateway = TestGateway.start(dataDir, 1_000, 1_000, routing(60, 1));
        MockOpenAiUpstream failing = new MockOpenAiUpstream().inject(Fault.STATUS_500, 1);
        MockOpenAiUpstream healthy = new MockOpenAiUpstream()) {
      long flaky = gateway.addChannel("openai", failing.baseUrl(), List.of("probe"), Map.of("probe", "mock-text"), 10, 1);
      gateway.addChannel("openai", healthy.baseUrl(), List.of("probe"), Map.of("probe", "mock-text"), 0, 1);
      String key = gateway.createKey();
      for (int i = 0; i < 3; i++) {
        ask(gateway, key, "probe");
      }
      assertThat(circuit(gateway, flaky).state()).isEqualTo(CircuitState.OPEN);

      Thread.sleep(1_500); // a probe or two meet the failing upstream: still open
      assertThat(circuit(gateway, flaky).state()).isEqualTo(CircuitState.OPEN);
      int probed = failing.chatRequests() - 3;
      assertThat(probed).isPositive();
      assertThat(failing.received().getLast().body().path("max_tokens").asInt()).as("a one-token request").isEqualTo(1);

      failing.heal();
      long healedAt = System.nanoTime();
      while (circuit(gateway, flaky).state() != CircuitState.CLOSED && System.nanoTime() - healedAt < 3_000_000_000L) {
        Thread.sleep(20);
      }

      assertThat(circuit(gateway, flaky).state()).as("closed by the probe, 58 s before the cool-down ends")
          .isEqualTo(CircuitState.CLOSED);
      int before = failing.chatRequests();
      ask(gateway, key, "probe");
      assertThat(failing.chatRequests()).as("routed again").isEqualTo(before + 1);
    }
  }
}

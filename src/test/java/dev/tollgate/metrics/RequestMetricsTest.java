package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.CircuitState;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRecord.Attempt;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ChannelHealth health =
      new ChannelHealth(new TollgateConfig.Circuit(0, 0, 0, 0, 0), Clock.systemUTC(), 1_000);
  private final RequestMetrics metrics = new RequestMetrics(registry, health);

  /** A served request: channel 7, 11 prompt tokens (4 cached), 3 completion, 17 cents. */
  private static UsageRecord served(String model, int status, String errorCode, List<Attempt> attempts) {
    return new UsageRecord("req_1", Instant.parse("2026-12-06T10:00:00Z"), 5, model, model + "-upstream", 7L, false,
        11, 3, false, 120, 400, status, errorCode, attempts, 9, 4, 17_000_000, 0, null, false, null);
  }

  private static UsageRecord served(String model) {
    return served(model, 200, null, List.of(new Attempt(7, 200, null, 110)));
  }

  /** Refused before routing: no channel, nothing charged. */
  private static UsageRecord refused(String model, int status, String errorCode) {
    return new UsageRecord("req_2", Instant.now(), 5, model, null, null, false, 0, 0, false, null, 2, status, errorCode,
        List.of(), 9, 0, 0, 0, null, false, null);
  }

  private double requests(String protocol, String model, String status) {
    return registry.get("tollgate.requests").tags("protocol", protocol, "model", model, "status", status).counter().count();
  }

  @Test
  void requestsAreCountedByProtocolModelAndOutcome() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);
    metrics.ended(WireProtocol.ANTHROPIC, served("gpt-4.1"), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 502, "upstream_error", List.of(new Attempt(7, 500, null, 30))), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 504, "upstream_timeout", List.of(new Attempt(7, null, "timeout", 30))), () -> null);
    metrics.ended(WireProtocol.GEMINI, served("gpt-4.1", 499, null, List.of(new Attempt(7, null, "cancelled", 30))), () -> null);

    assertThat(requests("openai", "gpt-4.1", "success")).isEqualTo(2);
    assertThat(requests("anthropic", "gpt-4.1", "success")).isEqualTo(1);
    assertThat(requests("openai", "gpt-4.1", "failed")).isEqualTo(1);
    assertThat(requests("openai", "gpt-4.1", "timeout")).isEqualTo(1);
    assertThat(requests("gemini", "gpt-4.1", "cancelled")).isEqualTo(1);
    assertThat(requests("anthropic", "gpt-4.1", "failed")).as("every outcome exists from the first request").isZero();
  }

  @Test
  void modelsNoChannelServedShareTheLabelOtherSoCallersCannotGrowTheMetrics() {
    for (int i = 0; i < 100; i++) {
      metrics.ended(WireProtocol.OPENAI, refused("made-up-" + i, 404, "model_not_found"), () -> null);
    }
    metrics.ended(WireProtocol.OPENAI, refused("gpt-4.1", 429, "rate_limited"), () -> null);

    assertThat(requests("openai", "other", "failed")).isEqualTo(101);
    assertThat(registry.find("tollgate.requests").meters())
        .extracting(meter -> meter.getId().getTag("model"))
        .containsOnly("other");
  }

  @Test
  void latencyHistogramsHoldSuccessfulRequestsInTheirBuckets() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 502, "upstream_error", List.of(new Attempt(7, 500, null, 30))), () -> null);

    Timer firstByte = registry.get("tollgate.request.first.byte").tags("protocol", "openai", "model", "gpt-4.1").timer();
    Timer total = registry.get("tollgate.request.duration").tags("protocol", "openai", "model", "gpt-4.1").timer();
    assertThat(firstByte.count()).as("a fast failure is no fast answer").isEqualTo(1);
    assertThat(firstByte.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
    assertThat(total.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400);
    CountAtBucket[] buckets = total.takeSnapshot().histogramCounts();
    assertThat(buckets).hasSize(12);
    assertThat(Arrays.stream(buckets).filter(b -> b.bucket(TimeUnit.MILLISECONDS) == 250).findFirst().orElseThrow().count())
        .isZero();
    assertThat(Arrays.stream(buckets).filter(b -> b.bucket(TimeUnit.MILLISECONDS) == 500).findFirst().orElseThrow().count())
        .isEqualTo(1);
  }

  @Test
  void tokensAndCostAreCountedByModel() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);
    metrics.ended(WireProtocol.GEMINI, served("gpt-4.1"), () -> null);

    assertThat(registry.get("tollgate.tokens").tags("model", "gpt-4.1", "type", "prompt").counter().count()).isEqualTo(22);
    assertThat(registry.get("tollgate.tokens").tags("model", "gpt-4.1", "type", "completion").counter().count()).isEqualTo(6);
    assertThat(registry.get("tollgate.tokens").tags("model", "gpt-4.1", "type", "cached").counter().count()).isEqualTo(8);
    assertThat(registry.get("tollgate.cost.cents").tags("model", "gpt-4.1").counter().count()).isEqualTo(34);
  }

  @Test
  void everyAttemptIsCountedOnItsChannelAndUpstreamFailuresByReason() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 200, null, List.of(
        new Attempt(3, 500, null, 20), new Attempt(4, null, "timeout", 1_000), new Attempt(7, 200, null, 90))), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 400, "invalid_request", List.of(new Attempt(7, 400, null, 20))), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 499, null, List.of(new Attempt(7, null, "cancelled", 20))), () -> null);
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1", 502, "upstream_error", List.of(new Attempt(3, 429, null, 20))), () -> null);

    assertThat(registry.get("tollgate.upstream.attempts").tags("channel", "3").counter().count()).isEqualTo(2);
    assertThat(registry.get("tollgate.upstream.attempts").tags("channel", "4").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate.upstream.attempts").tags("channel", "7").counter().count()).isEqualTo(3);
    assertThat(registry.get("tollgate.upstream.failures").tags("channel", "3", "reason", "500").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate.upstream.failures").tags("channel", "3", "reason", "429").counter().count()).isEqualTo(1);
    assertThat(registry.get("tollgate.upstream.failures").tags("channel", "4", "reason", "timeout").counter().count()).isEqualTo(1);
    assertThat(registry.find("tollgate.upstream.failures").tags("channel", "7").counters())
        .as("the request's own 400 and a client leaving say nothing of the channel")
        .isEmpty();
  }

  @Test
  void eachCalledChannelHasACircuitGaugeOrderedByHowBadItIs() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);

    assertThat(registry.get("tollgate.circuit.state").tags("channel", "7").gauge().value()).isZero();
    assertThat(ChannelMeters.circuitValue(CircuitState.CLOSED)).isEqualTo(0);
    assertThat(ChannelMeters.circuitValue(CircuitState.HALF_OPEN)).isEqualTo(1);
    assertThat(ChannelMeters.circuitValue(CircuitState.OPEN)).isEqualTo(2);
  }

  @Test
  void aLabelSetsMetersAreMadeOnce() {
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);
    List<Meter> first = registry.getMeters();
    metrics.ended(WireProtocol.OPENAI, served("gpt-4.1"), () -> null);

    assertThat(registry.getMeters()).hasSameSizeAs(first);
  }
}

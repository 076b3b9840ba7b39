package dev.tollgate.metrics;

import dev.tollgate.usage.Outcome;
import dev.tollgate.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one endpoint family and model label: requests by outcome, and how long the
 * successful ones took to their first byte and to their end.
 */
final class EndpointMeters {

  /**
   * From a cached short answer (tens of ms) to a long generation (minutes); a dozen buckets keep a
   * histogram per model affordable, where Micrometer's percentile histogram would add some seventy.
   */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
  };

  /** By {@link Outcome#ordinal()}, all made at once: a rate of failures reads 0, not "no data". */
  private final Counter[] requests = new Counter[Outcome.values().length];
  private final Timer firstByte;
  private final Timer total;

  EndpointMeters(MeterRegistry registry, String protocol, String model) {
    for (Outcome outcome : Outcome.values()) {
      requests[outcome.ordinal()] = Counter.builder("tollgate.requests")
          .description("relayed requests with a valid key, by the protocol the client spoke, model and outcome")
          .tag("protocol", protocol)
          .tag("model", model)
          .tag("status", outcome.wireName())
          .register(registry);
    }
    firstByte = latency("tollgate.request.first.byte", "from request in to the upstream's first byte, successful requests",
        protocol, model, registry);
    total = latency("tollgate.request.duration", "from request in to the answer's end, successful requests",
        protocol, model, registry);
  }

  private static Timer latency(String name, String description, String protocol, String model, MeterRegistry registry) {
    return Timer.builder(name)
        .description(description)
        .tag("protocol", protocol)
        .tag("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  void record(UsageRecord record) {
    Outcome outcome = Outcome.of(record.status(), record.errorCode());
    requests[outcome.ordinal()].increment();
    // Failures are counted above; in the latency a fast refusal would pass for a fast answer.
    if (outcome != Outcome.SUCCESS) {
      return;
    }
    if (record.firstByteMs() != null) {
      firstByte.record(record.firstByteMs(), TimeUnit.MILLISECONDS);
    }
    total.record(record.totalMs(), TimeUnit.MILLISECONDS);
  }
}

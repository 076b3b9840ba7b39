package dev.tollgate.metrics;

import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.CircuitState;
import dev.tollgate.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one upstream channel, made on its first call: calls, their failures by reason, and
 * its circuit. A channel's id is the label (names change; ids do not), bounded by the channels an
 * operator created.
 */
final class ChannelMeters {

  /**
   * Statuses that are the upstream's or the channel's trouble rather than the request's: 408 and
   * 5xx (the upstream failed), 429 (busy), 401, 402 and 403 (its key, account or balance).
   */
  private static final Set<Integer> FAILED_STATUSES = Set.of(401, 402, 403, 408, 429);
  /**
   * Calls without a status that the gateway ended itself (the client left, the request's deadline,
   * a channel that cannot take the request): no verdict on the upstream. Any other reason without a
   * status (timeout, connect, connection, unreadable) is a failure.
   */
  private static final Set<String> ENDED_BY_GATEWAY = Set.of("cancelled", "deadline", "unsupported", "unconvertible");

  private final MeterRegistry registry;
  private final String channel;
  private final Counter attempts;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();

  ChannelMeters(MeterRegistry registry, long channelId, ChannelHealth health) {
    this.registry = registry;
    this.channel = Long.toString(channelId);
    this.attempts = Counter.builder("tollgate.upstream.attempts")
        .description("upstream calls, failovers included, by channel id")
        .tag("channel", channel)
        .register(registry);
    Gauge.builder("tollgate.circuit.state", health, h -> circuitValue(h.state(channelId)))
        .description("the channel's circuit as this node judges it: 0 closed, 1 half-open, 2 open")
        .tag("channel", channel)
        .strongReference(true)
        .register(registry);
  }

  /** Ordered by how bad it is, so max() over channels and alerts on {@code >= 1} read naturally. */
  static int circuitValue(CircuitState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  void record(UsageRecord.Attempt attempt) {
    attempts.increment();
    String reason = failureReason(attempt);
    if (reason != null) {
      Counter counter = failures.get(reason);
      (counter != null ? counter : failures.computeIfAbsent(reason, this::failureCounter)).increment();
    }
  }

  /**
   * The status (as text) or the error of a call that failed on the upstream's side, or null for one
   * that answered (a success, or the request's own 4xx fault) or that the gateway ended. As close to
   * the circuit's verdict as the usage record shows it.
   */
  static String failureReason(UsageRecord.Attempt attempt) {
    Integer status = attempt.status();
    if (status == null) {
      return attempt.error() == null || ENDED_BY_GATEWAY.contains(attempt.error()) ? null : attempt.error();
    }
    return status >= 500 || FAILED_STATUSES.contains(status) ? Integer.toString(status) : null;
  }

  private Counter failureCounter(String reason) {
    return Counter.builder("tollgate.upstream.failures")
        .description("upstream calls that failed on the upstream's side, by channel id and reason (the HTTP status,"
            + " or timeout, connect, connection, unreadable)")
        .tag("channel", channel)
        .tag("reason", reason)
        .register(registry);
  }
}

package dev.tollgate.relay;

import dev.tollgate.config.TollgateConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breakers of every channel, in memory (each node judges the upstreams it talks to).
 * A channel gets its breaker on its first call.
 */
public final class ChannelHealth {

  /**
   * A channel's circuit as the admin sees it.
   *
   * @param consecutiveFailures upstream failures since the last success
   * @param openedAt when the circuit last opened, or null while it is closed
   */
  public record Status(CircuitState state, int consecutiveFailures, Instant openedAt) {}

  private final TollgateConfig.Circuit settings;
  private final Clock clock;
  private final long probeTimeoutMs;
  private final Map<Long, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  /**
   * @param probeTimeoutMs how long a half-open probe may stay unanswered before another is let
   *     through; no request lives longer than the routing deadline, so that is the natural bound
   */
  public ChannelHealth(TollgateConfig.Circuit settings, Clock clock, long probeTimeoutMs) {
    this.settings = settings;
    this.clock = clock;
    this.probeTimeoutMs = probeTimeoutMs;
  }

  CircuitBreaker of(long channelId) {
    CircuitBreaker breaker = breakers.get(channelId); // no lambda, no lock once it exists
    return breaker != null
        ? breaker
        : breakers.computeIfAbsent(channelId, id -> new CircuitBreaker(settings, clock, probeTimeoutMs));
  }

  /** Whether a call could go to the channel now, without taking the half-open probe's place. */
  boolean mayTry(long channelId) {
    CircuitBreaker breaker = breakers.get(channelId);
    return breaker == null || breaker.wouldAllow();
  }

  /** Every channel that has been called since start, by id, with its circuit. */
  public SortedMap<Long, Status> snapshot() {
    SortedMap<Long, Status> states = new TreeMap<>();
    breakers.forEach((id, breaker) -> states.put(id, breaker.status()));
    return states;
  }

  /** The channel's circuit as this node last judged it; closed for a channel not called yet. */
  public CircuitState state(long channelId) {
    CircuitBreaker breaker = breakers.get(channelId);
    return breaker == null ? CircuitState.CLOSED : breaker.state();
  }

  /** The channels whose circuit is open now (for the health probe). */
  List<Long> openChannels() {
    return breakers.entrySet().stream()
        .filter(entry -> entry.getValue().state() == CircuitState.OPEN)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}

package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.config.TollgateConfig;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The failover policy every request follows: at most so many upstream calls, all of them within
 * a deadline, only to channels whose circuit lets them through. Each request gets its own
 * {@link Attempts}.
 */
public final class Failover {

  final int maxAttempts;
  final long deadlineMs;
  final ChannelHealth health;
  /** Takes a channel out of routing, with the reason (see {@link ChannelDisabler}). */
  final BiConsumer<Channel, String> disable;
  final LongSupplier nanoTime;

  public Failover(TollgateConfig.Routing routing, ChannelHealth health, ChannelDisabler disabler) {
    this(routing.maxAttempts(), routing.deadlineMs(), health, disabler::disable, System::nanoTime);
  }

  Failover(
      int maxAttempts, long deadlineMs, ChannelHealth health, BiConsumer<Channel, String> disable,
      LongSupplier nanoTime) {
    this.maxAttempts = maxAttempts;
    this.deadlineMs = deadlineMs;
    this.health = health;
    this.disable = disable;
    this.nanoTime = nanoTime;
  }

  /**
   * @param candidates the channels in the order to try them (see {@link ChannelRouter})
   * @param startNanos when the request arrived: the deadline counts from there
   */
  Attempts start(List<Channel> candidates, long startNanos) {
    return new Attempts(this, candidates, startNanos, false);
  }

  /** Attempts with the caller's own provider keys: no circuit is judged, no channel disabled by them. */
  Attempts startWithOwnKeys(List<Channel> candidates, long startNanos) {
    return new Attempts(this, candidates, startNanos, true);
  }
}

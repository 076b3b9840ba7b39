package dev.tollgate.relay;

import dev.tollgate.config.TollgateConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * One channel's circuit. Closed: calls go through and their outcomes are counted. It opens after
 * too many upstream failures in a row, or too high a failure rate over a sliding window; open, the
 * channel is skipped. After the cool-down it is half-open: one call (the probe) goes through, and
 * its outcome closes the circuit or opens it again for another cool-down.
 *
 * <p>Shared by every event loop. The closed state is read without a lock (the hot path's common
 * case); the rest is a few field updates under this object's monitor, which nothing holds for
 * longer than that.
 */
final class CircuitBreaker {

  /** The sliding window is this many buckets; the oldest is dropped as time moves on. */
  private static final int BUCKETS = 10;

  private final TollgateConfig.Circuit settings;
  private final Clock clock;
  /** A probe that never reported (its request vanished) stops blocking the next one after this. */
  private final long probeTimeoutMs;
  private final long bucketMs;
  private final int[] calls = new int[BUCKETS];
  private final int[] failures = new int[BUCKETS];
  private final long[] bucketOf = new long[BUCKETS];

  private volatile CircuitState state = CircuitState.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeOut;
  private long probeSentAt;

  CircuitBreaker(TollgateConfig.Circuit settings, Clock clock, long probeTimeoutMs) {
    this.settings = settings;
    this.clock = clock;
    this.probeTimeoutMs = probeTimeoutMs;
    this.bucketMs = Math.max(1, settings.windowSeconds() * 1000L / BUCKETS);
  }

  /** Whether a call may go to this channel now; in half-open, true once: that call is the probe. */
  boolean tryAcquire() {
    if (state == CircuitState.CLOSED) {
      return true;
    }
    synchronized (this) {
      if (!wouldAllow()) {
        return false;
      }
      if (state != CircuitState.CLOSED) {
        state = CircuitState.HALF_OPEN;
        probeOut = true;
        probeSentAt = clock.millis();
      }
      return true;
    }
  }

  /** The upstream answered (a client error included: it is alive and understood us). */
  synchronized void onSuccess() {
    count(false);
    consecutiveFailures = 0;
    if (state == CircuitState.HALF_OPEN) {
      close();
    } // open: a call from before the circuit opened; the cool-down stands, or the breaker would flap
  }

  /** An upstream-side failure: 5xx, 429, timeout, connection failure, an unreadable answer. */
  synchronized void onFailure() {
    count(true);
    consecutiveFailures++;
    switch (state) {
      case HALF_OPEN -> open(); // the probe failed
      case CLOSED -> {
        if (consecutiveFailures >= settings.consecutiveFailures() || rateTooHigh()) {
          open();
        }
      }
      case OPEN -> { /* a call from before the circuit opened: the cool-down stands */ }
    }
  }

  /** The call ended without a verdict on the upstream (the client left, the deadline passed). */
  synchronized void onNeither() {
    probeOut = false;
  }

  /** A health probe outside client traffic found the upstream answering. */
  synchronized void onProbeSuccess() {
    consecutiveFailures = 0;
    close();
  }

  /** A health probe found the upstream still failing: another full cool-down. */
  synchronized void onProbeFailure() {
    if (state != CircuitState.CLOSED) {
      open();
    }
  }

  /** What {@link #tryAcquire} would answer now, without taking the probe's place. */
  boolean wouldAllow() {
    if (state == CircuitState.CLOSED) {
      return true;
    }
    synchronized (this) {
      long now = clock.millis();
      return switch (state) {
        case CLOSED -> true;
        case OPEN -> now - openedAt >= settings.coolDownSeconds() * 1000L;
        case HALF_OPEN -> !probeOut || now - probeSentAt >= probeTimeoutMs;
      };
    }
  }

  CircuitState state() {
    return state;
  }

  synchronized ChannelHealth.Status status() {
    return new ChannelHealth.Status(
        state, consecutiveFailures, state == CircuitState.CLOSED ? null : Instant.ofEpochMilli(openedAt));
  }

  private void open() {
    state = CircuitState.OPEN;
    openedAt = clock.millis();
    probeOut = false;
  }

  private void close() {
    state = CircuitState.CLOSED;
    probeOut = false;
    Arrays.fill(calls, 0);
    Arrays.fill(failures, 0);
  }

  private void count(boolean failed) {
    long bucket = clock.millis() / bucketMs;
    int slot = (int) (bucket % BUCKETS);
    if (bucketOf[slot] != bucket) { // the slot last held a bucket that has left the window
      bucketOf[slot] = bucket;
      calls[slot] = 0;
      failures[slot] = 0;
    }
    calls[slot]++;
    if (failed) {
      failures[slot]++;
    }
  }

  private boolean rateTooHigh() {
    long current = clock.millis() / bucketMs;
    int total = 0;
    int failed = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      if (current - bucketOf[slot] < BUCKETS) {
        total += calls[slot];
        failed += failures[slot];
      }
    }
    return total >= settings.minCalls() && failed * 100L >= (long) settings.failureRatePercent() * total;
  }
}

package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.usage.UsageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's way through its candidate channels: which one to call next, what each call came
 * to (for the usage record and the channel's circuit), and when to give up. Every call that
 * {@link #next} hands out ends in exactly one verdict; the circuit of a half-open channel waits for
 * it. Confined to the request's event loop.
 */
final class Attempts {

  /** Kinds of failure without an HTTP status, as the usage record names them. */
  static final String TIMEOUT = "timeout";
  static final String CONNECT = "connect";
  static final String CONNECTION = "connection";
  static final String UNREADABLE = "unreadable";
  static final String DEADLINE = "deadline";
  static final String CANCELLED = "cancelled";
  static final String UNSUPPORTED = "unsupported";
  /** The request could not be expressed for this channel's upstream (nothing was sent). */
  static final String UNCONVERTIBLE = "unconvertible";

  private final Failover policy;
  private final List<Channel> candidates;
  private final long startNanos;
  /** The calls use the caller's own provider keys: their failures say nothing of the shared channels. */
  private final boolean ownKeys;
  private final List<UsageRecord.Attempt> recorded = new ArrayList<>(2);
  private int nextIndex;
  private int started;
  private Channel current;
  private CircuitBreaker currentBreaker;
  private long currentStart;

  Attempts(Failover policy, List<Channel> candidates, long startNanos, boolean ownKeys) {
    this.policy = policy;
    this.candidates = candidates;
    this.startNanos = startNanos;
    this.ownKeys = ownKeys;
  }

  /**
   * The channel to call now, or null when the request must stop: the attempts are used up, the
   * deadline has passed, or no candidate is left whose circuit lets a call through.
   */
  Channel next() {
    if (current != null) {
      end(null, CANCELLED, Verdict.NEITHER); // a caller's slip must not hold a half-open circuit
    }
    if (started >= policy.maxAttempts || remainingMs() <= 0) {
      return null;
    }
    while (nextIndex < candidates.size()) {
      Channel channel = candidates.get(nextIndex++);
      CircuitBreaker breaker = ownKeys ? null : policy.health.of(channel.id());
      if (breaker == null || breaker.tryAcquire()) {
        started++;
        current = channel;
        currentBreaker = breaker;
        currentStart = policy.nanoTime.getAsLong();
        return channel;
      }
    }
    return null;
  }

  /** Milliseconds left before the deadline (0 or less: passed). */
  long remainingMs() {
    return policy.deadlineMs - (policy.nanoTime.getAsLong() - startNanos) / 1_000_000;
  }

  /** Whether a failure now would be followed by another call (else it is the request's answer). */
  boolean mayRetry() {
    if (started >= policy.maxAttempts || remainingMs() <= 0) {
      return false;
    }
    for (int i = nextIndex; i < candidates.size(); i++) {
      if (ownKeys || policy.health.mayTry(candidates.get(i).id())) {
        return true;
      }
    }
    return false;
  }

  /** The upstream answered: a success, or the request's own fault (it is alive and understood us). */
  void answered(int status) {
    end(status, null, Verdict.SUCCESS);
  }

  /** An upstream-side failure with a status: 5xx, 429, 408, a 403 not about the key. */
  void failed(int status) {
    end(status, null, Verdict.FAILURE);
  }

  /** An upstream-side failure without a status: {@link #TIMEOUT}, {@link #CONNECT}, … */
  void failed(String error) {
    if (TIMEOUT.equals(error) && remainingMs() <= 0) {
      // Cut short by the request's deadline (earlier attempts used the time), not by the channel.
      end(null, DEADLINE, Verdict.NEITHER);
    } else {
      end(null, error, Verdict.FAILURE);
    }
  }

  /**
   * The upstream said the channel cannot work (key, account, balance): it is disabled — unless it
   * was the caller's own key that was refused, which is theirs to mend.
   */
  void unusable(int status, String reason) {
    Channel channel = current;
    end(status, null, Verdict.NEITHER);
    if (channel != null && !ownKeys) {
      policy.disable.accept(channel, reason);
    }
  }

  /** Whether these calls use the caller's own provider keys. */
  boolean ownKeys() {
    return ownKeys;
  }

  /** The call ended without a verdict on the upstream: {@link #CANCELLED}, {@link #UNSUPPORTED}, … */
  void abandoned(String why) {
    end(null, why, Verdict.NEITHER);
  }

  /** Ends a call still open when the request ends (it was cancelled); returns what was recorded. */
  List<UsageRecord.Attempt> close() {
    if (current != null) {
      abandoned(CANCELLED);
    }
    return recorded;
  }

  /** What the client gets when {@link #next} gave up; {@code last} is the last call's error. */
  GatewayError finalError(GatewayError last) {
    if (remainingMs() <= 0) {
      return GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT,
          "no upstream answered within the gateway's deadline of " + policy.deadlineMs + " ms");
    }
    if (started == 0 || last == null) {
      return GatewayError.of(ErrorCode.NO_AVAILABLE_NODE,
          "every channel serving this model is failing right now; retry later");
    }
    return last;
  }

  private enum Verdict { SUCCESS, FAILURE, NEITHER }

  private void end(Integer status, String error, Verdict verdict) {
    if (current == null) {
      return;
    }
    int ms = (int) ((policy.nanoTime.getAsLong() - currentStart) / 1_000_000);
    recorded.add(new UsageRecord.Attempt(current.id(), status, error, ms));
    if (currentBreaker != null) {
      switch (verdict) {
        case SUCCESS -> currentBreaker.onSuccess();
        case FAILURE -> currentBreaker.onFailure();
        case NEITHER -> currentBreaker.onNeither();
      }
    }
    current = null;
    currentBreaker = null;
  }
}

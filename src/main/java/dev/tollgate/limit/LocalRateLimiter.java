package dev.tollgate.limit;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link RateLimiter} in this process's memory: one small state per key (three GCRA arrival times
 * and an in-flight count) under its own lock, so keys never wait on each other and every
 * admission is O(1). A state whose times have all passed and with nothing in flight equals a
 * fresh one, so {@link #sweep} drops it: memory follows the active keys.
 */
public final class LocalRateLimiter implements RateLimiter {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final Map<Long, KeyState> states = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  public LocalRateLimiter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  @Override
  public Future<Admission> admit(long keyId, String requestId, Limits limits, long estimatedTokens) {
    return Future.succeededFuture(admitNow(keyId, limits, estimatedTokens));
  }

  /** {@link #admit}, answered on the calling thread. */
  public Admission admitNow(long keyId, Limits limits, long estimatedTokens) {
    if (limits.isNone()) {
      return Admission.unlimited();
    }
    while (true) {
      KeyState state = states.computeIfAbsent(keyId, id -> new KeyState());
      synchronized (state) {
        if (!state.dropped) {
          return admit(state, limits, estimatedTokens, nanoTime.getAsLong());
        }
      }
      // swept between the look-up and the lock: look it up again
    }
  }

  /** Holding the state's lock. */
  private static Admission admit(KeyState state, Limits limits, long estimatedTokens, long now) {
    Gcra.Verdict qps = limits.qps() == 0 ? null : Gcra.check(Gcra.Rate.of(limits.qps(), SECOND), state.qpsTat, now, 1);
    Gcra.Verdict rpm = limits.rpm() == 0 ? null : Gcra.check(Gcra.Rate.of(limits.rpm(), MINUTE), state.rpmTat, now, 1);
    Gcra.Verdict tpm = limits.tpm() == 0 ? null
        : Gcra.check(Gcra.Rate.of(limits.tpm(), MINUTE), state.tpmTat, now, Math.max(0, estimatedTokens));
    String refusedBy = null;
    long retryAfter = 0;
    if (qps != null && !qps.allowed()) {
      refusedBy = "qps";
      retryAfter = qps.retryAfterNanos();
    }
    if (rpm != null && !rpm.allowed() && rpm.retryAfterNanos() > retryAfter) {
      refusedBy = "rpm";
      retryAfter = rpm.retryAfterNanos();
    }
    if (tpm != null && !tpm.allowed() && (tpm.neverFits() || tpm.retryAfterNanos() > retryAfter)) {
      refusedBy = "tpm";
      retryAfter = tpm.retryAfterNanos();
    }
    if (refusedBy == null && limits.maxConcurrent() > 0 && state.inFlight >= limits.maxConcurrent()) {
      refusedBy = "concurrency";
      retryAfter = SECOND; // no schedule to compute: a slot frees when a request ends
    }
    Permit permit = null;
    if (refusedBy == null) {
      state.qpsTat = qps == null ? state.qpsTat : qps.newTat();
      state.rpmTat = rpm == null ? state.rpmTat : rpm.newTat();
      state.tpmTat = tpm == null ? state.tpmTat : tpm.newTat();
      state.inFlight++; // also keeps the state from being swept while the request runs
      permit = new LocalPermit(state, limits, Math.max(0, estimatedTokens));
    }
    return new Admission(refusedBy, retryAfter,
        limits.rpm(), rpm == null ? 0 : rpm.remaining(), rpm == null ? 0 : rpm.resetNanos(),
        limits.tpm(), tpm == null ? 0 : tpm.remaining(), tpm == null ? 0 : tpm.resetNanos(), permit);
  }

  /** Holds the state itself: it stays in the map while the request is in flight. */
  private record LocalPermit(KeyState state, Limits limits, long estimatedTokens) implements Permit {

    @Override
    public Future<Void> release(long actualTokens) {
      synchronized (state) {
        state.inFlight = Math.max(0, state.inFlight - 1);
        if (limits.tpm() > 0 && actualTokens != estimatedTokens && state.tpmTat != Long.MIN_VALUE) {
          // The admission spent the estimate; the minute's budget is corrected by the difference.
          long perToken = Gcra.Rate.of(limits.tpm(), MINUTE).emissionNanos();
          state.tpmTat += (actualTokens - estimatedTokens) * perToken;
        }
      }
      return Future.succeededFuture();
    }
  }

  /** Drops the states that equal a fresh one (every time passed, nothing in flight); returns how many. */
  public int sweep() {
    long now = nanoTime.getAsLong();
    int before = states.size();
    states.entrySet().removeIf(entry -> {
      KeyState state = entry.getValue();
      synchronized (state) {
        boolean fresh = state.inFlight == 0 && state.qpsTat <= now && state.rpmTat <= now && state.tpmTat <= now;
        state.dropped = fresh;
        return fresh;
      }
    });
    return before - states.size();
  }

  /** Keys with a state in memory. */
  public int size() {
    return states.size();
  }

  private static final class KeyState {
    long qpsTat = Long.MIN_VALUE;
    long rpmTat = Long.MIN_VALUE;
    long tpmTat = Long.MIN_VALUE;
    int inFlight;
    boolean dropped;
  }
}

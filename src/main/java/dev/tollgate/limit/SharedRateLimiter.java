package dev.tollgate.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter of a deployment with Redis: the shared counters while Redis answers; while it does
 * not, either this node's own counters (fail-open: the limits hold per node, so N replicas may
 * admit up to N times a limit) or a refusal (fail-closed: 503). A failed call marks Redis
 * unreachable for a second, so an outage costs one timeout per second, not one per request.
 * Each change is logged once and counted in metrics.
 */
public final class SharedRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimiter.class);
  static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RateLimiter shared;
  private final RateLimiter local;
  private final boolean failOpen;
  private final LongSupplier nanoTime;
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private volatile long retryAtNanos;
  private final Counter failures;

  public SharedRateLimiter(
      RateLimiter shared, RateLimiter local, boolean failOpen, LongSupplier nanoTime, MeterRegistry metrics) {
    this.shared = shared;
    this.local = local;
    this.failOpen = failOpen;
    this.nanoTime = nanoTime;
    this.failures = Counter.builder("tollgate.ratelimit.redis.failures")
        .description("rate-limit calls to Redis that failed or timed out")
        .register(metrics);
    Gauge.builder("tollgate.ratelimit.redis.reachable", reachable, up -> up.get() ? 1 : 0)
        .description("1 while Redis answers the rate limiter, 0 while it runs without it")
        .register(metrics);
  }

  @Override
  public Future<Admission> admit(long keyId, String requestId, Limits limits, long estimatedTokens) {
    if (limits.isNone()) {
      return Future.succeededFuture(Admission.unlimited());
    }
    if (!reachable.get() && nanoTime.getAsLong() - retryAtNanos < 0) {
      return withoutRedis(keyId, requestId, limits, estimatedTokens);
    }
    return shared.admit(keyId, requestId, limits, estimatedTokens).transform(result -> {
      if (result.succeeded()) {
        if (reachable.compareAndSet(false, true)) {
          LOG.info("rate limits: Redis answers again; limits are shared by every node again");
        }
        return Future.succeededFuture(result.result());
      }
      unreachable(result.cause());
      return withoutRedis(keyId, requestId, limits, estimatedTokens);
    });
  }

  /** Whether the last call to Redis succeeded. */
  public boolean redisReachable() {
    return reachable.get();
  }

  private void unreachable(Throwable cause) {
    failures.increment();
    retryAtNanos = nanoTime.getAsLong() + RETRY_NANOS;
    if (reachable.compareAndSet(true, false)) {
      LOG.warn("rate limits: Redis does not answer ({}); {} until it does", cause.toString(), failOpen
          ? "each node limits on its own (fail-open)"
          : "requests of limited keys get 503 (fail-closed)");
    }
  }

  private Future<Admission> withoutRedis(long keyId, String requestId, Limits limits, long estimatedTokens) {
    return failOpen
        ? local.admit(keyId, requestId, limits, estimatedTokens)
        : Future.succeededFuture(Admission.unavailable(RETRY_NANOS));
  }
}

package dev.tollgate.limit;

import io.vertx.core.Future;

/**
 * Per-key admission against QPS, RPM, TPM and concurrency limits. {@link LocalRateLimiter} keeps
 * the counters in this process and answers at once; {@link RedisRateLimiter} shares them through
 * Redis, so N replicas enforce one combined limit.
 */
public interface RateLimiter {

  /**
   * Admits a request of {@code estimatedTokens} for the key, or says which limit refuses it and
   * for how long. An admitted request's {@link Admission#permit()} must be released once.
   *
   * @param requestId names the request's concurrency slot (unique per request)
   */
  Future<Admission> admit(long keyId, String requestId, Limits limits, long estimatedTokens);
}

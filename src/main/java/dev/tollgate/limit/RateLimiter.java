package dev.tollgate.limit;

/**
 * Per-key admission against QPS, RPM, TPM and concurrency limits. One implementation keeps the
 * counters in this process; another will share them through Redis, so N replicas enforce one
 * combined limit.
 */
public interface RateLimiter {

  /**
   * Admits a request of {@code estimatedTokens} for the key, or says which limit refuses it and
   * for how long. An admitted request must be {@link #finish}ed once.
   */
  Admission admit(long keyId, Limits limits, long estimatedTokens);

  /** Frees the request's concurrency slot and corrects its tokens by what it really used. */
  void finish(long keyId, Limits limits, long estimatedTokens, long actualTokens);
}

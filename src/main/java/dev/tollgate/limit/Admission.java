package dev.tollgate.limit;

/**
 * A rate limiter's answer, with what the {@code x-ratelimit-*} headers report: the request and
 * token limits per minute, what remains of them, and how long until they are whole again.
 *
 * @param refusedBy null when allowed; else {@code qps}, {@code rpm}, {@code tpm} or {@code concurrency}
 * @param retryAfterNanos when refused: how long until a request of this size would be admitted;
 *     negative when it never will (larger than the whole limit)
 */
public record Admission(
    String refusedBy,
    long retryAfterNanos,
    long requestLimit,
    long requestsRemaining,
    long requestsResetNanos,
    long tokenLimit,
    long tokensRemaining,
    long tokensResetNanos) {

  public boolean allowed() {
    return refusedBy == null;
  }

  /** Refused for good: the request alone is larger than the key's whole token limit. */
  public boolean neverFits() {
    return refusedBy != null && retryAfterNanos < 0;
  }
}

package dev.tollgate.limit;

/**
 * A rate limiter's answer, with what the {@code x-ratelimit-*} headers report: the request and
 * token limits per minute, what remains of them, and how long until they are whole again.
 *
 * @param refusedBy null when allowed; else {@code qps}, {@code rpm}, {@code tpm},
 *     {@code concurrency}, or {@link #UNAVAILABLE} (the shared counters cannot be reached and the
 *     deployment fails closed)
 * @param retryAfterNanos when refused: how long until a request of this size would be admitted;
 *     negative when it never will (larger than the whole limit)
 * @param permit when allowed: to release when the request ends; null when refused
 */
public record Admission(
    String refusedBy,
    long retryAfterNanos,
    long requestLimit,
    long requestsRemaining,
    long requestsResetNanos,
    long tokenLimit,
    long tokensRemaining,
    long tokensResetNanos,
    Permit permit) {

  public static final String UNAVAILABLE = "unavailable";

  private static final Admission UNLIMITED = new Admission(null, 0, 0, 0, 0, 0, 0, 0, Permit.NONE);

  /** Admitted with no limit to report. */
  public static Admission unlimited() {
    return UNLIMITED;
  }

  /** Refused because the limits cannot be checked: fail-closed. */
  public static Admission unavailable(long retryAfterNanos) {
    return new Admission(UNAVAILABLE, retryAfterNanos, 0, 0, 0, 0, 0, 0, null);
  }

  public boolean allowed() {
    return refusedBy == null;
  }

  /** Refused for good: the request alone is larger than the key's whole token limit. */
  public boolean neverFits() {
    return refusedBy != null && retryAfterNanos < 0;
  }
}

package dev.tollgate.billing;

/**
 * Money is integer micro-cents inside Tollgate (1 cent = 1,000,000 µ¢), so sub-cent per-token
 * prices stay exact. The API speaks whole cents.
 */
public final class Money {

  public static final long MICROS_PER_CENT = 1_000_000L;

  private Money() {}

  public static long centsToMicros(long cents) {
    return Math.multiplyExact(cents, MICROS_PER_CENT);
  }

  /** Whole cents, rounded down: what the API shows of a micro-cent amount. */
  public static long microsToCents(long micros) {
    return Math.floorDiv(micros, MICROS_PER_CENT);
  }
}

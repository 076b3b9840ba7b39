package dev.tollgate.billing;

import java.math.BigDecimal;

/**
 * Money is integer micro-cents inside Tollgate (1 cent = 1,000,000 µ¢), so sub-cent per-token
 * prices stay exact. The API speaks cents: balances as whole cents, prices as decimal cents with
 * up to six places (exactly the micro-cents), never a float.
 */
public final class Money {

  public static final long MICROS_PER_CENT = 1_000_000L;
  private static final int CENT_DECIMALS = 6;

  private Money() {}

  public static long centsToMicros(long cents) {
    return Math.multiplyExact(cents, MICROS_PER_CENT);
  }

  /** Whole cents, rounded down: what the API shows of a micro-cent amount. */
  public static long microsToCents(long micros) {
    return Math.floorDiv(micros, MICROS_PER_CENT);
  }

  /**
   * Decimal cents ({@code "0.25"}, {@code 250}, {@code "1e2"}) as micro-cents.
   *
   * @throws IllegalArgumentException when it has more than six decimal places or does not fit
   */
  public static long parseCents(String cents) {
    BigDecimal value;
    try {
      value = new BigDecimal(cents.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + cents + "' is not a number of cents");
    }
    return centsToMicros(value);
  }

  /** @see #parseCents(String) */
  public static long centsToMicros(BigDecimal cents) {
    BigDecimal micros = cents.movePointRight(CENT_DECIMALS);
    if (micros.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("cents may have at most " + CENT_DECIMALS + " decimal places: " + cents.toPlainString());
    }
    try {
      return micros.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too many cents: " + cents.toPlainString());
    }
  }

  /** Micro-cents as exact decimal cents, without trailing zeros ({@code 250500000} → 250.5). */
  public static BigDecimal microsAsCents(long micros) {
    BigDecimal cents = BigDecimal.valueOf(micros).movePointLeft(CENT_DECIMALS).stripTrailingZeros();
    return cents.scale() < 0 ? cents.setScale(0) : cents;
  }
}

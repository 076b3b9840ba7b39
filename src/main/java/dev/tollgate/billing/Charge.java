package dev.tollgate.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The cost of token usage at a model's prices and a ratio, in micro-cents: exact integer and
 * decimal arithmetic, no float anywhere, rounded once (half up) at the end.
 *
 * <p>{@code cost = round(((prompt − cached) × input + cached × cachedInput + completion × output)
 * × ratio / 1,000,000)}. Cached tokens are part of the prompt tokens, as OpenAI counts them.
 */
public final class Charge {

  private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000L);

  private Charge() {}

  /**
   * @param ratio what the caller pays of the list price: the group's ratio (times the BYOK fee
   *     ratio for requests served with the caller's own provider key)
   * @return micro-cents; {@link Long#MAX_VALUE} when the exact figure does not fit
   */
  public static long of(ModelPrice price, long promptTokens, long cachedTokens, long completionTokens, BigDecimal ratio) {
    long cached = Math.min(Math.max(0, cachedTokens), Math.max(0, promptTokens));
    BigDecimal listPrice = BigDecimal.valueOf(Math.max(0, promptTokens) - cached).multiply(BigDecimal.valueOf(price.input()))
        .add(BigDecimal.valueOf(cached).multiply(BigDecimal.valueOf(price.cachedInputOrInput())))
        .add(BigDecimal.valueOf(Math.max(0, completionTokens)).multiply(BigDecimal.valueOf(price.output())));
    return fit(listPrice.multiply(ratio).divide(PER_MILLION, 0, RoundingMode.HALF_UP));
  }

  /** {@code units × unitPrice × ratio}, for priced units (images, seconds, millions of characters). */
  public static long ofUnits(long unitPrice, BigDecimal units, BigDecimal ratio) {
    return fit(units.multiply(BigDecimal.valueOf(unitPrice)).multiply(ratio).setScale(0, RoundingMode.HALF_UP));
  }

  private static long fit(BigDecimal micros) {
    return micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : micros.longValueExact();
  }
}

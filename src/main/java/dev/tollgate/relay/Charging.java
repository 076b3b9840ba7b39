package dev.tollgate.relay;

import dev.tollgate.billing.Charge;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.QuotaLedger;
import dev.tollgate.protocol.Usage;
import java.math.BigDecimal;

/**
 * How one request is charged: the model's price and the caller's ratio, and the reservation
 * admission made against the key and the account. Settled once, when the request is metered.
 *
 * @param price null for a model served free
 * @param reservation null for a model served free
 */
record Charging(ModelPrice price, BigDecimal ratio, QuotaLedger.Reserved reservation) {

  static final Charging FREE = new Charging(null, BigDecimal.ZERO, null);

  boolean free() {
    return price == null;
  }

  /** What the usage costs at this price and ratio, in micro-cents (free: 0). */
  long cost(Usage usage, BigDecimal extraRatio) {
    if (price == null || usage == null) {
      return 0;
    }
    return Charge.of(price, usage.promptTokens(), usage.cachedTokens(), usage.completionTokens(), ratio.multiply(extraRatio));
  }
}

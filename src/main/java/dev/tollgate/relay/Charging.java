package dev.tollgate.relay;

import dev.tollgate.billing.BillingUnit;
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
 * @param unit what the request is billed by when not by tokens (images, audio seconds,
 *     characters), or null; its price is then set in {@code price}
 */
record Charging(ModelPrice price, BigDecimal ratio, QuotaLedger.Reserved reservation, BillingUnit unit) {

  static final Charging FREE = new Charging(null, BigDecimal.ZERO, null, null);

  /** Charged by tokens. */
  Charging(ModelPrice price, BigDecimal ratio, QuotaLedger.Reserved reservation) {
    this(price, ratio, reservation, null);
  }

  /** The price of one unit ({@link BillingUnit#price}); only for a priced request billed by units. */
  long unitPrice() {
    return unit.price(price);
  }

  /** What {@code quantity} units cost at this price and ratio, in micro-cents (free: 0). */
  long unitCost(BigDecimal quantity) {
    return price == null || unit == null || quantity == null ? 0 : unit.cost(unitPrice(), quantity, ratio);
  }

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

package dev.tollgate.billing;

import java.math.BigDecimal;

/**
 * What an endpoint that does not sell tokens is billed by, and where a model's price for it is:
 * an image generated, a second of audio transcribed, a character turned into speech (priced per
 * million, like tokens).
 */
public enum BillingUnit {
  IMAGE("image", BigDecimal.ONE),
  AUDIO_SECOND("second", BigDecimal.ONE),
  CHARACTER("character", BigDecimal.valueOf(1_000_000L));

  private final String wireName;
  private final BigDecimal perPrice;

  BillingUnit(String wireName, BigDecimal perPrice) {
    this.wireName = wireName;
    this.perPrice = perPrice;
  }

  /** The name in usage records and the API. */
  public String wireName() {
    return wireName;
  }

  public static BillingUnit ofWireName(String name) {
    for (BillingUnit unit : values()) {
      if (unit.wireName.equals(name)) {
        return unit;
      }
    }
    throw new IllegalArgumentException("unknown billing unit '" + name + "'");
  }

  /** The model's price of this unit, in micro-cents per {@link #perPrice} units; null when it is not sold by it. */
  public Long price(ModelPrice price) {
    return switch (this) {
      case IMAGE -> price.perImage();
      case AUDIO_SECOND -> price.perAudioSecond();
      case CHARACTER -> price.perMillionCharacters();
    };
  }

  /** What {@code quantity} of this unit costs at {@code unitPrice} and a ratio, in micro-cents. */
  public long cost(long unitPrice, BigDecimal quantity, BigDecimal ratio) {
    return Charge.ofUnits(unitPrice, quantity.divide(perPrice), ratio);
  }

  /** The field of a price that holds this unit, as the price API names it. */
  public String priceField() {
    return switch (this) {
      case IMAGE -> "imagePrice";
      case AUDIO_SECOND -> "audioSecondPrice";
      case CHARACTER -> "characterPrice";
    };
  }
}

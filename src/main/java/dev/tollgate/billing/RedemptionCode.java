package dev.tollgate.billing;

import java.time.Instant;

/**
 * A single-use code worth {@code amount} micro-cents of quota. Only its hash is stored; {@code
 * codePrefix} is what may be shown of it.
 */
public record RedemptionCode(
    long id,
    String batch,
    String codePrefix,
    long amount,
    Status status,
    Long createdBy,
    Instant createdAt,
    Long redeemedBy,
    Instant redeemedAt) {

  public enum Status {
    UNUSED,
    REDEEMED,
    DISABLED;

    public String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status fromDb(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }
}

package dev.tollgate.account;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as the gateway sees it. The key itself is never held: only its hash.
 *
 * @param quotaLimit micro-cents the key may spend in total, or null for no limit
 * @param usedQuota micro-cents spent so far
 * @param userId the user the key belongs to
 * @param models the models the key may call; empty means every model
 * @param planId the rate-limit plan the key is on; null = its user's
 * @param allowIps client addresses or CIDR ranges the key may be used from; empty = any
 */
public record ApiKey(
    long id,
    long userId,
    String name,
    String keyHash,
    String keyPrefix,
    KeyStatus status,
    Long quotaLimit,
    long usedQuota,
    Set<String> models,
    Instant expiresAt,
    Long planId,
    Set<String> allowIps,
    Instant createdAt,
    Instant lastUsedAt) {

  public ApiKey {
    models = Set.copyOf(models);
    allowIps = Set.copyOf(allowIps);
  }

  public boolean isUsable(Instant now) {
    return status == KeyStatus.ENABLED && (expiresAt == null || now.isBefore(expiresAt));
  }

  public boolean quotaExhausted() {
    return quotaLimit != null && usedQuota >= quotaLimit;
  }

  public boolean mayUse(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /**
   * Whether a client at this address may use the key: any, unless {@code allowIps} lists
   * addresses or ranges. A list that no longer parses (edited by hand) allows nobody.
   */
  public boolean allowedFrom(java.net.InetAddress client) {
    if (allowIps.isEmpty()) {
      return true;
    }
    try {
      return AddressRanges.parse(allowIps).allows(client);
    } catch (IllegalArgumentException unreadable) {
      return false;
    }
  }
}

package dev.tollgate.account;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as the gateway sees it. The key itself is never held: only its hash.
 *
 * @param quotaLimit micro-cents the key may spend in total, or null for no limit
 * @param usedQuota micro-cents spent so far
 * @param models the models the key may call; empty means every model
 */
public record ApiKey(
    long id,
    String name,
    String keyHash,
    String keyPrefix,
    KeyStatus status,
    Long quotaLimit,
    long usedQuota,
    Set<String> models,
    Instant expiresAt,
    Instant createdAt) {

  public ApiKey {
    models = Set.copyOf(models);
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
}

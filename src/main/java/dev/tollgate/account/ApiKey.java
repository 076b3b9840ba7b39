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

  /** The caller group of every key until keys get a group of their own (a later issue). */
  public static final String DEFAULT_GROUP = "default";

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

  /** The caller group whose channels serve this key; see {@link #DEFAULT_GROUP}. */
  public String group() {
    return DEFAULT_GROUP;
  }
}

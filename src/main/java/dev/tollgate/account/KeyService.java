package dev.tollgate.account;

import dev.tollgate.billing.Money;
import java.time.Instant;
import java.util.Set;

/** Creating and changing API keys. The full key leaves this class once, in {@link CreatedKey}. */
public final class KeyService {

  private final ApiKeyRepository repository;
  private final String prefix;

  /** @param prefix how new keys start ({@code accounts.key_prefix}) */
  public KeyService(ApiKeyRepository repository, String prefix) {
    this.repository = repository;
    this.prefix = prefix;
  }

  public CreatedKey create(long userId, String name, Long quotaCents, Set<String> models, Instant expiresAt) {
    return create(userId, new Settings(name, quotaCents, models, expiresAt, Set.of(), null));
  }

  /** A new key for the user with these settings. */
  public CreatedKey create(long userId, Settings settings) {
    requireName(settings.name());
    AddressRanges.parse(settings.allowIps()); // refuse what would never match
    String key = KeySecrets.newKey(prefix);
    ApiKeyRepository.NewKey fresh = newKey(userId, settings.name(), key, settings.quotaCents(), settings.models(),
        settings.expiresAt());
    ApiKey stored = repository.insert(new ApiKeyRepository.NewKey(fresh.userId(), fresh.name(), fresh.keyHash(),
        fresh.keyPrefix(), fresh.quotaLimit(), fresh.models(), fresh.expiresAt(), settings.planId(), settings.allowIps()));
    return new CreatedKey(key, stored);
  }

  /**
   * What a key's owner (or an admin) sets on it. Null means none: no quota of its own (the
   * account's applies), every model, no expiry, no plan; an empty {@code allowIps} means any address.
   */
  public record Settings(String name, Long quotaCents, Set<String> models, Instant expiresAt, Set<String> allowIps,
      Long planId) {
    public Settings {
      models = models == null ? Set.of() : Set.copyOf(models);
      allowIps = allowIps == null ? Set.of() : Set.copyOf(allowIps);
    }

    /** The settings a key has now, to change some of them. */
    public static Settings of(ApiKey key) {
      return new Settings(key.name(), key.quotaLimit() == null ? null : Money.microsToCents(key.quotaLimit()),
          key.models(), key.expiresAt(), key.allowIps(), key.planId());
    }
  }

  /**
   * Stores new settings and status on an existing key; the relay sees them within a second. A
   * quota given in cents replaces the limit; the current one is kept exactly (to the micro-cent)
   * when {@code settings} came from {@link Settings#of} and the cents did not change.
   */
  public ApiKey update(ApiKey current, Settings settings, KeyStatus status) {
    requireName(settings.name());
    AddressRanges.parse(settings.allowIps());
    if (settings.quotaCents() != null && settings.quotaCents() < 0) {
      throw new IllegalArgumentException("'quota' must be zero or more cents");
    }
    if (status == KeyStatus.DELETED) {
      throw new IllegalArgumentException("'status' must be active or disabled");
    }
    Long limit = settings.quotaCents() == null ? null
        : current.quotaLimit() != null && Money.microsToCents(current.quotaLimit()) == settings.quotaCents()
            ? current.quotaLimit()
            : Money.centsToMicros(settings.quotaCents());
    ApiKey changed = new ApiKey(current.id(), current.userId(), settings.name(), current.keyHash(), current.keyPrefix(),
        status, limit, current.usedQuota(), settings.models(), settings.expiresAt(), settings.planId(),
        settings.allowIps(), current.createdAt(), current.lastUsedAt());
    if (!repository.update(changed)) {
      throw new IllegalStateException("the key " + current.id() + " was deleted meanwhile");
    }
    return repository.findById(current.id()).orElseThrow();
  }

  /** A key whose full value comes from configuration (scripted deployments), owned by {@code userId}. */
  public ApiKey declare(long userId, String name, String key, Long quotaCents, Set<String> models, Instant expiresAt) {
    requireName(name);
    KeySecrets.requireStrong(key, prefix);
    return repository.upsertDeclared(newKey(userId, name, key, quotaCents, models, expiresAt));
  }

  public boolean setStatus(long id, KeyStatus status) {
    return repository.setStatus(id, status);
  }

  private static ApiKeyRepository.NewKey newKey(
      long userId, String name, String key, Long quotaCents, Set<String> models, Instant expiresAt) {
    if (quotaCents != null && quotaCents < 0) {
      throw new IllegalArgumentException("'quota' must be zero or more cents");
    }
    return new ApiKeyRepository.NewKey(
        userId,
        name,
        KeySecrets.hash(key),
        KeySecrets.displayPrefix(key),
        quotaCents == null ? null : Money.centsToMicros(quotaCents),
        models == null ? Set.of() : models,
        expiresAt,
        null,
        Set.of());
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank() || name.length() > 128) {
      throw new IllegalArgumentException("'name': a key needs a name of 1 to 128 characters");
    }
  }

  /** A new key: {@code key} is the only copy of the secret and must be shown once, then dropped. */
  public record CreatedKey(String key, ApiKey stored) {}
}

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
    requireName(name);
    String key = KeySecrets.newKey(prefix);
    ApiKey stored = repository.insert(newKey(userId, name, key, quotaCents, models, expiresAt));
    return new CreatedKey(key, stored);
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
      throw new IllegalArgumentException("quota must be zero or more cents");
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
      throw new IllegalArgumentException("a key needs a name of 1 to 128 characters");
    }
  }

  /** A new key: {@code key} is the only copy of the secret and must be shown once, then dropped. */
  public record CreatedKey(String key, ApiKey stored) {}
}

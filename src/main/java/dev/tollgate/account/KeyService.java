package dev.tollgate.account;

import dev.tollgate.billing.Money;
import java.time.Instant;
import java.util.Set;

/** Creating and changing API keys. The full key leaves this class once, in {@link CreatedKey}. */
public final class KeyService {

  private final ApiKeyRepository repository;

  public KeyService(ApiKeyRepository repository) {
    this.repository = repository;
  }

  public CreatedKey create(String name, Long quotaCents, Set<String> models, Instant expiresAt) {
    requireName(name);
    String key = KeySecrets.newKey();
    ApiKey stored = repository.insert(newKey(name, key, quotaCents, models, expiresAt));
    return new CreatedKey(key, stored);
  }

  /** A key whose full value comes from configuration (scripted deployments). */
  public ApiKey declare(String name, String key, Long quotaCents, Set<String> models, Instant expiresAt) {
    requireName(name);
    KeySecrets.requireStrong(key);
    return repository.upsertDeclared(newKey(name, key, quotaCents, models, expiresAt));
  }

  public boolean setStatus(long id, KeyStatus status) {
    return repository.setStatus(id, status);
  }

  private static ApiKeyRepository.NewKey newKey(
      String name, String key, Long quotaCents, Set<String> models, Instant expiresAt) {
    if (quotaCents != null && quotaCents < 0) {
      throw new IllegalArgumentException("quota must be zero or more cents");
    }
    return new ApiKeyRepository.NewKey(
        name,
        KeySecrets.hash(key),
        KeySecrets.displayPrefix(key),
        quotaCents == null ? null : Money.centsToMicros(quotaCents),
        models == null ? Set.of() : models,
        expiresAt);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank() || name.length() > 128) {
      throw new IllegalArgumentException("a key needs a name of 1 to 128 characters");
    }
  }

  /** A new key: {@code key} is the only copy of the secret and must be shown once, then dropped. */
  public record CreatedKey(String key, ApiKey stored) {}
}

package dev.tollgate.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who is calling the relay: the API key presented, the user it belongs to, that user's group and
 * their own provider keys (BYOK), as last read from the database (see {@link KeyAuthenticator}).
 */
public record Caller(ApiKey key, User owner, Group group, List<ProviderKey> providerKeys) {

  public Caller {
    providerKeys = List.copyOf(providerKeys);
  }

  /** A caller without provider keys of their own. */
  public Caller(ApiKey key, User owner, Group group) {
    this(key, owner, group, List.of());
  }

  /** The caller's own key for this provider kind, if they stored one. */
  public Optional<ProviderKey> providerKey(String provider) {
    for (ProviderKey key : providerKeys) {
      if (key.provider().equals(provider)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** Whether the owner's routing policy lets their requests go to this provider kind. */
  public boolean mayUseProvider(String provider) {
    return owner.allowedProviders().isEmpty() || owner.allowedProviders().contains(provider);
  }

  /** The key is enabled and not expired, and its owner is enabled. */
  public boolean isUsable(Instant now) {
    return key.isUsable(now) && owner.isEnabled();
  }

  public long keyId() {
    return key.id();
  }

  public long userId() {
    return owner.id();
  }

  /** The caller group whose channels serve this key. */
  public String groupName() {
    return group.name();
  }

  /**
   * Why this caller may not use the model, if it may not: the key's allow-list, the group's models
   * and the owner's routing policy must all allow it (channels serving it are checked by routing).
   */
  public Optional<String> refusal(String model) {
    if (!key.mayUse(model)) {
      return Optional.of("this API key may not use the model '" + model + "'");
    }
    if (!group.allows(model)) {
      return Optional.of("the group '" + group.name() + "' may not use the model '" + model + "'");
    }
    if (!owner.allowedModels().isEmpty() && !owner.allowedModels().contains(model)) {
      return Optional.of("the model '" + model + "' is blocked by routing policy");
    }
    return Optional.empty();
  }

  public boolean mayUse(String model) {
    return refusal(model).isEmpty();
  }
}

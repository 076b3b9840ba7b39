package dev.tollgate.account;

import java.util.Optional;

/** Reads a caller (key, owner, group) from the database by key hash. Blocking: worker threads only. */
public final class StoredCallers {

  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final GroupRepository groups;
  private final ProviderKeyRepository providerKeys;

  public StoredCallers(ApiKeyRepository keys, UserRepository users, GroupRepository groups,
      ProviderKeyRepository providerKeys) {
    this.keys = keys;
    this.users = users;
    this.groups = groups;
    this.providerKeys = providerKeys;
  }

  /** Empty when no key has that hash, or its owner no longer exists. */
  public Optional<Caller> byKeyHash(String keyHash) {
    return keys.findByHash(keyHash).flatMap(key -> users.findById(key.userId()).map(owner ->
        new Caller(key, owner, groups.find(owner.group()).orElseGet(() -> Group.fallback(owner.group())),
            providerKeys.ofUser(owner.id()))));
  }
}

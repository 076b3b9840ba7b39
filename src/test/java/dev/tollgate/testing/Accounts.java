package dev.tollgate.testing;

import dev.tollgate.account.ApiKey;
import dev.tollgate.account.Caller;
import dev.tollgate.account.Group;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.account.Role;
import dev.tollgate.account.User;
import dev.tollgate.account.UserStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

/** Account objects for unit tests that need a caller without a database. */
public final class Accounts {

  private Accounts() {}

  public static User user(long id, UserStatus status, String group, Set<String> allowedModels) {
    return new User(id, "user" + id, null, null, "$argon2id$unused", Role.USER, status, group, 0, 0, 0,
        "INVITE" + id, null, 0, Set.of(), allowedModels, Instant.EPOCH, null);
  }

  public static ApiKey key(long id, long userId, KeyStatus status, Set<String> models) {
    return new ApiKey(id, userId, "k" + id, "hash" + id, "sk-", status, null, 0, models, null, null, Set.of(),
        Instant.EPOCH, null);
  }

  /** An enabled key of an enabled user in the default group, with no restriction. */
  public static Caller caller(long keyId) {
    return new Caller(key(keyId, 1, KeyStatus.ENABLED, Set.of()), user(1, UserStatus.ENABLED, Group.DEFAULT, Set.of()),
        new Group(Group.DEFAULT, null, Set.of(), BigDecimal.ONE));
  }
}

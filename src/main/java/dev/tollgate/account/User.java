package dev.tollgate.account;

import java.time.Instant;
import java.util.Set;

/**
 * An account. Holds the password's hash, never the password; the hash never leaves the server
 * (management views are built field by field).
 *
 * @param quota micro-cents credited to the account in total
 * @param usedQuota micro-cents spent so far
 * @param sessionVersion bumped when the password changes, which ends the sessions signed before
 * @param allowedProviders the routing policy: provider kinds this user's requests may go to;
 *     empty = any
 * @param allowedModels the routing policy: models this user may call; empty = any
 * @param planId the rate-limit plan of the user's keys that name none; null = no limits
 */
public record User(
    long id,
    String username,
    String email,
    String displayName,
    String passwordHash,
    Role role,
    UserStatus status,
    String group,
    long quota,
    long usedQuota,
    long requestCount,
    String inviteCode,
    Long inviterId,
    int sessionVersion,
    Set<String> allowedProviders,
    Set<String> allowedModels,
    Instant createdAt,
    Long planId) {

  public User {
    allowedProviders = Set.copyOf(allowedProviders);
    allowedModels = Set.copyOf(allowedModels);
  }

  public boolean isEnabled() {
    return status == UserStatus.ENABLED;
  }
}

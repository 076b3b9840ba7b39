package dev.tollgate.account;

import dev.tollgate.billing.Money;
import dev.tollgate.db.Sql;
import java.util.List;
import java.util.Set;

/**
 * What admins do to users: list, create, change, disable and delete them. Who may touch whom:
 * nobody changes an account of their own rank or above (root alone manages admins), nobody grants
 * root, and admins manage their own account through the self-service endpoints, not these.
 * Blocking: worker threads only.
 */
public final class UserAdministration {

  private final UserRepository users;
  private final AccountService accounts;
  private final ProviderKeyRepository providerKeys;

  public UserAdministration(UserRepository users, AccountService accounts, ProviderKeyRepository providerKeys) {
    this.users = users;
    this.accounts = accounts;
    this.providerKeys = providerKeys;
  }

  public List<User> list(String search, int offset, int limit) {
    return users.list(search, offset, limit);
  }

  public long count(String search) {
    return users.count(search);
  }

  /** A user that is not deleted. */
  public User get(long id) {
    return users.findById(id).filter(u -> u.status() != UserStatus.DELETED)
        .orElseThrow(() -> AccountProblem.notFound("there is no user " + id));
  }

  public User create(User actor, AccountService.Registration form, Role role, String group, Long quotaCents) {
    requireMayGrant(actor, role);
    User created = accounts.create(form, role, group == null ? Group.DEFAULT : group, actor.id());
    if (quotaCents != null && quotaCents != 0) {
      users.creditQuota(created.id(), Money.centsToMicros(quotaCents), "admin", "initial quota", actor.id());
    }
    return get(created.id());
  }

  public User update(User actor, long id, AdminUpdate change) {
    User target = change.onlyQuota() ? creditable(actor, id) : manageable(actor, id);
    if (change.role() != null && change.role() != target.role()) {
      requireMayGrant(actor, change.role());
    }
    if (change.group() != null) {
      accounts.requireGroup(change.group());
    }
    if (change.quotaDeltaCents() != null && (change.reason() == null || change.reason().isBlank())) {
      throw AccountProblem.invalid("'reason' is required with 'quotaDelta': every quota change is explained");
    }
    if (change.reason() != null && change.reason().length() > 255) {
      throw AccountProblem.invalid("'reason' must have at most 255 characters");
    }
    if (change.displayName() != null || change.email() != null) {
      accounts.updateSelf(target, new AccountService.SelfUpdate(change.displayName(), change.email(), null, null));
    }
    if (change.password() != null) {
      accounts.resetPassword(id, change.password());
    }
    if (change.role() != null || change.status() != null || change.group() != null) {
      users.updateAdminFields(id,
          change.role() == null ? target.role() : change.role(),
          change.status() == null ? target.status() : change.status(),
          change.group() == null ? target.group() : change.group());
    }
    if (change.allowedProviders() != null || change.allowedModels() != null) {
      users.updateRoutingPolicy(id,
          change.allowedProviders() == null ? target.allowedProviders() : change.allowedProviders(),
          change.allowedModels() == null ? target.allowedModels() : change.allowedModels());
    }
    if (change.planId() != null) {
      users.setPlan(id, change.planId() == 0 ? null : change.planId()); // 0: back to no plan
    }
    if (change.quotaDeltaCents() != null && change.quotaDeltaCents() != 0) {
      try {
        users.creditQuota(id, Money.centsToMicros(change.quotaDeltaCents()), "admin", change.reason().strip(), actor.id());
      } catch (ArithmeticException | Sql.DataAccessException tooLarge) {
        throw AccountProblem.invalid("'quotaDelta' is out of range");
      }
    }
    return get(id);
  }

  public User setStatus(User actor, long id, UserStatus status) {
    User target = manageable(actor, id);
    users.updateAdminFields(id, target.role(), status, target.group());
    return get(id);
  }

  /** Marks the user deleted: their keys stop working within a second, their records stay. */
  public void delete(User actor, long id) {
    User target = manageable(actor, id);
    users.updateAdminFields(id, target.role(), UserStatus.DELETED, target.group());
    providerKeys.deleteAllOf(id); // their own provider keys are theirs: not kept after them
  }

  /**
   * Whose quota the actor may change: anyone they may manage, and — for root, who has nobody above
   * to ask — root's own account too (an admin crediting themselves would be minting money).
   */
  private User creditable(User actor, long id) {
    return actor.role() == Role.ROOT ? get(id) : manageable(actor, id);
  }

  private User manageable(User actor, long id) {
    User target = get(id);
    if (target.id() == actor.id()) {
      throw AccountProblem.forbidden("change your own account through /api/user/self");
    }
    if (target.role().compareTo(actor.role()) >= 0) {
      throw AccountProblem.forbidden("only a higher-ranked admin may change the " + target.role().dbValue() + " '"
          + target.username() + "'");
    }
    return target;
  }

  private static void requireMayGrant(User actor, Role role) {
    if (role == Role.ROOT) {
      throw AccountProblem.forbidden("there is one root account; it cannot be granted");
    }
    if (role == Role.ADMIN && actor.role() != Role.ROOT) {
      throw AccountProblem.forbidden("only root may make admins");
    }
  }

  /** An admin's change to a user; null fields stay as they are. */
  public record AdminUpdate(
      String displayName,
      String email,
      String password,
      Role role,
      UserStatus status,
      String group,
      Long quotaDeltaCents,
      String reason,
      Set<String> allowedProviders,
      Set<String> allowedModels,
      Long planId) {

    /** A top-up or deduction and nothing else. */
    boolean onlyQuota() {
      return quotaDeltaCents != null && displayName == null && email == null && password == null && role == null
          && status == null && group == null && allowedProviders == null && allowedModels == null && planId == null;
    }
  }
}

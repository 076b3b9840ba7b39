package dev.tollgate.account;

import dev.tollgate.db.CommaList;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Storage of users. Blocking JDBC: call it from worker threads, never the event loop. */
public final class UserRepository {

  private static final String COLUMNS = "id, username, email, display_name, password_hash, role, status, group_name,"
      + " quota, used_quota, request_count, invite_code, inviter_id, session_version, allowed_providers,"
      + " allowed_models, created_at, plan_id";

  private final Sql sql;
  private final Clock clock;

  public UserRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  public User insert(NewUser user) {
    long now = clock.millis();
    long id = sql.insert(
        "INSERT INTO users (username, email, display_name, password_hash, role, status, group_name, quota,"
            + " used_quota, request_count, invite_code, inviter_id, session_version, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, 0, ?, ?)",
        user.username(), user.email(), user.displayName(), user.passwordHash(), user.role().dbValue(),
        UserStatus.ENABLED.dbValue(), user.group(), user.inviteCode(), user.inviterId(), now, now);
    return findById(id).orElseThrow();
  }

  public Optional<User> findById(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::map, id);
  }

  /** A user that is not deleted, by lower-case username. */
  public Optional<User> findByUsername(String username) {
    return sql.one("SELECT " + COLUMNS + " FROM users WHERE username = ? AND status <> ?", UserRepository::map,
        username, UserStatus.DELETED.dbValue());
  }

  public boolean usernameTaken(String username) {
    return sql.one("SELECT id FROM users WHERE username = ?", row -> row.getLong(1), username).isPresent();
  }

  public boolean emailTaken(String email, long exceptUserId) {
    return sql.one("SELECT id FROM users WHERE email = ? AND id <> ?", row -> row.getLong(1), email, exceptUserId)
        .isPresent();
  }

  public Optional<User> findByInviteCode(String code) {
    return sql.one("SELECT " + COLUMNS + " FROM users WHERE invite_code = ? AND status = ?", UserRepository::map,
        code, UserStatus.ENABLED.dbValue());
  }

  public Optional<User> firstRoot() {
    return sql.one("SELECT " + COLUMNS + " FROM users WHERE role = ? AND status <> ? ORDER BY id LIMIT 1",
        UserRepository::map, Role.ROOT.dbValue(), UserStatus.DELETED.dbValue());
  }

  public long count() {
    return sql.one("SELECT COUNT(*) FROM users", row -> row.getLong(1)).orElse(0L);
  }

  /** Users that are not deleted, newest first; {@code search} matches username, email or display name. */
  public List<User> list(String search, int offset, int limit) {
    Filter filter = Filter.of(search);
    List<Object> params = new ArrayList<>(filter.params());
    params.add(limit);
    params.add(offset);
    return sql.list("SELECT " + COLUMNS + " FROM users WHERE " + filter.where() + " ORDER BY id DESC LIMIT ? OFFSET ?",
        UserRepository::map, params.toArray());
  }

  public long count(String search) {
    Filter filter = Filter.of(search);
    return sql.one("SELECT COUNT(*) FROM users WHERE " + filter.where(), row -> row.getLong(1), filter.params().toArray())
        .orElse(0L);
  }

  public void updateProfile(long id, String displayName, String email) {
    sql.update("UPDATE users SET display_name = ?, email = ?, updated_at = ? WHERE id = ?",
        displayName, email, clock.millis(), id);
  }

  /** Sets a new password hash and ends every session signed before it. */
  public void updatePassword(long id, String passwordHash) {
    sql.update("UPDATE users SET password_hash = ?, session_version = session_version + 1, updated_at = ? WHERE id = ?",
        passwordHash, clock.millis(), id);
  }

  public void updateAdminFields(long id, Role role, UserStatus status, String group) {
    sql.update("UPDATE users SET role = ?, status = ?, group_name = ?, updated_at = ? WHERE id = ?",
        role.dbValue(), status.dbValue(), group, clock.millis(), id);
  }

  /** The user's rate-limit plan; null = none. */
  public void setPlan(long id, Long planId) {
    sql.update("UPDATE users SET plan_id = ?, updated_at = ? WHERE id = ?", planId, clock.millis(), id);
  }

  public void updateRoutingPolicy(long id, Set<String> providers, Set<String> models) {
    sql.update("UPDATE users SET allowed_providers = ?, allowed_models = ?, updated_at = ? WHERE id = ?",
        CommaList.join(providers), CommaList.join(models), clock.millis(), id);
  }

  /**
   * Adds {@code amount} micro-cents (negative takes away) to the user's quota and journals why, in
   * one transaction: the journal explains every cent of the quota.
   */
  public void creditQuota(long id, long amount, String kind, String reason, Long actorId) {
    long now = clock.millis();
    sql.inTransaction(tx -> {
      creditQuota(tx, id, amount, kind, reason, actorId, now);
      return null;
    });
  }

  /** {@link #creditQuota(long, long, String, String, Long)} inside a caller's transaction. */
  public static void creditQuota(Sql.Transaction tx, long id, long amount, String kind, String reason, Long actorId,
      long now) throws SQLException {
    tx.update("UPDATE users SET quota = quota + ?, updated_at = ? WHERE id = ?", amount, now, id);
    tx.update("INSERT INTO quota_journal (user_id, kind, amount, reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        id, kind, amount, reason, actorId, now);
  }

  public List<QuotaChange> quotaJournal(long userId, int limit) {
    return sql.list("SELECT id, kind, amount, reason, actor_id, created_at FROM quota_journal WHERE user_id = ?"
            + " ORDER BY id DESC LIMIT ?",
        row -> new QuotaChange(row.getLong("id"), row.getString("kind"), row.getLong("amount"), row.getString("reason"),
            Sql.nullableLong(row, "actor_id"), Instant.ofEpochMilli(row.getLong("created_at"))),
        userId, limit);
  }

  private static User map(ResultSet row) throws SQLException {
    return new User(
        row.getLong("id"),
        row.getString("username"),
        row.getString("email"),
        row.getString("display_name"),
        row.getString("password_hash"),
        Role.fromDb(row.getString("role")),
        UserStatus.fromDb(row.getString("status")),
        row.getString("group_name"),
        row.getLong("quota"),
        row.getLong("used_quota"),
        row.getLong("request_count"),
        row.getString("invite_code"),
        Sql.nullableLong(row, "inviter_id"),
        row.getInt("session_version"),
        CommaList.split(row.getString("allowed_providers")),
        CommaList.split(row.getString("allowed_models")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Sql.nullableLong(row, "plan_id"));
  }

  /** The WHERE clause of a list: not deleted, and matching the search when there is one. */
  private record Filter(String where, List<Object> params) {
    static Filter of(String search) {
      if (search == null || search.isBlank()) {
        return new Filter("status <> ?", List.of(UserStatus.DELETED.dbValue()));
      }
      // LIKE wildcards in the search are taken literally. '!' escapes them: a backslash would itself
      // need escaping in MariaDB string literals.
      String pattern = "%" + search.strip().toLowerCase(java.util.Locale.ROOT)
          .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
      return new Filter(
          "status <> ? AND (username LIKE ? ESCAPE '!' OR email LIKE ? ESCAPE '!' OR LOWER(display_name) LIKE ? ESCAPE '!')",
          List.of(UserStatus.DELETED.dbValue(), pattern, pattern, pattern));
    }
  }

  /** What is stored for a new user; username and email already normalised (lower-case). */
  public record NewUser(
      String username, String email, String displayName, String passwordHash, Role role, String group,
      String inviteCode, Long inviterId) {}

  /** One line of the quota journal. */
  public record QuotaChange(long id, String kind, long amount, String reason, Long actorId, Instant at) {}
}

package dev.tollgate.account;

import dev.tollgate.db.CommaList;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Storage of API keys. Blocking JDBC: call it from worker threads, never the event loop. */
public final class ApiKeyRepository {

  private static final String COLUMNS = "id, user_id, name, key_hash, key_prefix, status, quota_limit, used_quota,"
      + " models, expires_at, plan_id, allow_ips, created_at, last_used_at";

  private final Sql sql;
  private final Clock clock;

  public ApiKeyRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  public ApiKey insert(NewKey key) {
    long now = clock.millis();
    long id =
        sql.insert(
            "INSERT INTO api_keys (user_id, name, key_hash, key_prefix, status, quota_limit, used_quota, models,"
                + " expires_at, plan_id, allow_ips, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
            key.userId(),
            key.name(),
            key.keyHash(),
            key.keyPrefix(),
            KeyStatus.ENABLED.dbValue(),
            key.quotaLimit(),
            CommaList.join(key.models()),
            millis(key.expiresAt()),
            key.planId(),
            CommaList.join(key.allowIps()),
            now,
            now);
    return findById(id).orElseThrow();
  }

  public Optional<ApiKey> findByHash(String keyHash) {
    return sql.one("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", ApiKeyRepository::map, keyHash);
  }

  public Optional<ApiKey> findById(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", ApiKeyRepository::map, id);
  }

  public List<ApiKey> listVisible() {
    return sql.list(
        "SELECT " + COLUMNS + " FROM api_keys WHERE status <> ? ORDER BY id",
        ApiKeyRepository::map,
        KeyStatus.DELETED.dbValue());
  }

  /** @return true when a key with that id exists and was changed */
  public boolean setStatus(long id, KeyStatus status) {
    return sql.update(
            "UPDATE api_keys SET status = ?, updated_at = ? WHERE id = ? AND status <> ?",
            status.dbValue(),
            clock.millis(),
            id,
            KeyStatus.DELETED.dbValue())
        == 1;
  }

  /** Upserts a key declared in the config file, matched by its hash. */
  public ApiKey upsertDeclared(NewKey key) {
    Optional<ApiKey> existing = findByHash(key.keyHash());
    if (existing.isEmpty()) {
      return insert(key);
    }
    sql.update(
        "UPDATE api_keys SET name = ?, quota_limit = ?, models = ?, expires_at = ?, updated_at = ?"
            + " WHERE id = ?",
        key.name(),
        key.quotaLimit(),
        CommaList.join(key.models()),
        millis(key.expiresAt()),
        clock.millis(),
        existing.get().id());
    return findById(existing.get().id()).orElseThrow();
  }

  /** Newest first, without deleted keys; {@code ownerId} null for every owner's. */
  public List<ApiKey> list(Long ownerId, int offset, int limit) {
    return ownerId == null
        ? sql.list("SELECT " + COLUMNS + " FROM api_keys WHERE status <> ? ORDER BY id DESC LIMIT ? OFFSET ?",
            ApiKeyRepository::map, KeyStatus.DELETED.dbValue(), limit, offset)
        : sql.list("SELECT " + COLUMNS + " FROM api_keys WHERE status <> ? AND user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            ApiKeyRepository::map, KeyStatus.DELETED.dbValue(), ownerId, limit, offset);
  }

  public long count(Long ownerId) {
    return ownerId == null
        ? sql.one("SELECT COUNT(*) FROM api_keys WHERE status <> ?", row -> row.getLong(1), KeyStatus.DELETED.dbValue())
            .orElse(0L)
        : sql.one("SELECT COUNT(*) FROM api_keys WHERE status <> ? AND user_id = ?", row -> row.getLong(1),
            KeyStatus.DELETED.dbValue(), ownerId).orElse(0L);
  }

  /** A key that is not deleted. */
  public Optional<ApiKey> findVisible(long id) {
    return findById(id).filter(key -> key.status() != KeyStatus.DELETED);
  }

  /** Stores the changeable fields of a key (not deleted); true when it was changed. */
  public boolean update(ApiKey key) {
    return sql.update("UPDATE api_keys SET name = ?, status = ?, quota_limit = ?, models = ?, expires_at = ?,"
            + " allow_ips = ?, plan_id = ?, updated_at = ? WHERE id = ? AND status <> ?",
        key.name(), key.status().dbValue(), key.quotaLimit(), CommaList.join(key.models()), millis(key.expiresAt()),
        CommaList.join(key.allowIps()), key.planId(), clock.millis(), key.id(), KeyStatus.DELETED.dbValue()) == 1;
  }

  /** Sets when keys were last used (never moving it back). */
  public void touchLastUsed(java.util.Map<Long, Long> lastUsedById) {
    sql.inTransaction(tx -> {
      for (java.util.Map.Entry<Long, Long> use : lastUsedById.entrySet()) {
        tx.update("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
            use.getValue(), use.getKey(), use.getValue());
      }
      return null;
    });
  }

  /** Gives keys made before accounts existed (no owner) to {@code userId}; returns how many. */
  public int adoptOrphans(long userId) {
    return sql.update("UPDATE api_keys SET user_id = ? WHERE user_id IS NULL", userId);
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  private static ApiKey map(ResultSet row) throws SQLException {
    Long expires = Sql.nullableLong(row, "expires_at");
    Long lastUsed = Sql.nullableLong(row, "last_used_at");
    return new ApiKey(
        row.getLong("id"),
        row.getLong("user_id"),
        row.getString("name"),
        row.getString("key_hash"),
        row.getString("key_prefix"),
        KeyStatus.fromDb(row.getString("status")),
        Sql.nullableLong(row, "quota_limit"),
        row.getLong("used_quota"),
        CommaList.split(row.getString("models")),
        expires == null ? null : Instant.ofEpochMilli(expires),
        Sql.nullableLong(row, "plan_id"),
        CommaList.split(row.getString("allow_ips")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        lastUsed == null ? null : Instant.ofEpochMilli(lastUsed));
  }

  /** What is stored for a new key. */
  public record NewKey(
      long userId, String name, String keyHash, String keyPrefix, Long quotaLimit, Set<String> models,
      Instant expiresAt, Long planId, Set<String> allowIps) {}
}

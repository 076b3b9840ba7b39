package dev.tollgate.account;

import dev.tollgate.channel.ChannelSecrets;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.SecretBox;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of users' own provider keys, encrypted like channel keys ({@link SecretBox}). */
public final class ProviderKeyRepository {

  private static final String COLUMNS = "id, user_id, provider, base_url, secret_enc, key_hint, created_at, updated_at";

  private final Sql sql;
  private final SecretBox secrets;
  private final Clock clock;

  public ProviderKeyRepository(Sql sql, SecretBox secrets, Clock clock) {
    this.sql = sql;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** Whether any provider key is stored: a start without the secret key they need must fail. */
  public static boolean holdsSecrets(Sql sql) {
    return sql.one("SELECT COUNT(*) FROM provider_keys", row -> row.getLong(1)).orElse(0L) > 0;
  }

  /** Decrypts one stored key, so that a wrong secret key stops the start rather than requests. */
  public void verifySecretKey() {
    Optional<String> sample = sql.one("SELECT secret_enc FROM provider_keys ORDER BY id LIMIT 1",
        row -> row.getString("secret_enc"));
    try {
      sample.ifPresent(secrets::decrypt);
    } catch (ConfigException e) {
      throw new ConfigException("the stored provider keys (BYOK) cannot be decrypted with this secret key: secret_key"
          + " (TOLLGATE_SECRET_KEY) or <data_dir>/secret.key is not the key they were stored with", e);
    }
  }

  public List<ProviderKey> ofUser(long userId) {
    return sql.list("SELECT " + COLUMNS + " FROM provider_keys WHERE user_id = ? ORDER BY id", this::map, userId);
  }

  public Optional<ProviderKey> find(long userId, long id) {
    return sql.one("SELECT " + COLUMNS + " FROM provider_keys WHERE id = ? AND user_id = ?", this::map, id, userId);
  }

  public Optional<ProviderKey> findByProvider(long userId, String provider) {
    return sql.one("SELECT " + COLUMNS + " FROM provider_keys WHERE user_id = ? AND provider = ?", this::map, userId,
        provider);
  }

  public ProviderKey insert(long userId, String provider, String baseUrl, String secret) {
    long now = clock.millis();
    long id = sql.insert("INSERT INTO provider_keys (user_id, provider, base_url, secret_enc, key_hint, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        userId, provider, baseUrl, secrets.encrypt(secret), ChannelSecrets.mask(secret), now, now);
    return find(userId, id).orElseThrow();
  }

  /** Replaces the key's base URL and, when {@code secret} is not null, the key itself. */
  public boolean update(long userId, long id, String baseUrl, String secret) {
    long now = clock.millis();
    return secret == null
        ? sql.update("UPDATE provider_keys SET base_url = ?, updated_at = ? WHERE id = ? AND user_id = ?",
            baseUrl, now, id, userId) == 1
        : sql.update("UPDATE provider_keys SET base_url = ?, secret_enc = ?, key_hint = ?, updated_at = ?"
            + " WHERE id = ? AND user_id = ?", baseUrl, secrets.encrypt(secret), ChannelSecrets.mask(secret), now, id,
            userId) == 1;
  }

  public boolean delete(long userId, long id) {
    return sql.update("DELETE FROM provider_keys WHERE id = ? AND user_id = ?", id, userId) == 1;
  }

  /** When a user is deleted: their keys go with them. */
  public int deleteAllOf(long userId) {
    return sql.update("DELETE FROM provider_keys WHERE user_id = ?", userId);
  }

  private ProviderKey map(ResultSet row) throws SQLException {
    return new ProviderKey(
        row.getLong("id"),
        row.getLong("user_id"),
        row.getString("provider"),
        row.getString("base_url"),
        secrets.decrypt(row.getString("secret_enc")),
        row.getString("key_hint"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }
}

package dev.tollgate.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.SecretBox;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Storage of channels; secrets are encrypted on the way in and decrypted on the way out. */
public final class ChannelRepository {

  private static final String COLUMNS =
      "id, name, type, base_url, secret_enc, models, model_mapping, priority, weight, status, created_at";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sql sql;
  private final SecretBox secrets;
  private final Clock clock;

  public ChannelRepository(Sql sql, SecretBox secrets, Clock clock) {
    this.sql = sql;
    this.secrets = secrets;
    this.clock = clock;
  }

  public Channel insert(ChannelSpec spec) {
    long now = clock.millis();
    long id =
        sql.insert(
            "INSERT INTO channels (type, base_url, secret_enc, models, model_mapping, priority, weight,"
                + " status, updated_at, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            withValues(spec, now, spec.name(), now));
    return findById(id).orElseThrow();
  }

  /**
   * Creates or updates the channel with the spec's name (config-file declarations). The file is
   * the definition: the channel comes out enabled, whatever status it had.
   */
  public Channel upsertByName(ChannelSpec spec) {
    Optional<Channel> existing = findByName(spec.name());
    if (existing.isEmpty()) {
      return insert(spec);
    }
    sql.update(
        "UPDATE channels SET type = ?, base_url = ?, secret_enc = ?, models = ?, model_mapping = ?,"
            + " priority = ?, weight = ?, status = ?, updated_at = ?, status_reason = NULL WHERE id = ?",
        withValues(spec, clock.millis(), existing.get().id()));
    return findById(existing.get().id()).orElseThrow();
  }

  /** The spec's column values (type … updated_at, as in the statements above), then extras. */
  private Object[] withValues(ChannelSpec spec, long updatedAt, Object... extras) {
    Object[] common = {
      spec.type(),
      spec.baseUrl(),
      secrets.encrypt(spec.secret()),
      String.join(",", spec.models()),
      mappingJson(spec.modelMapping()),
      spec.priority(),
      spec.weight(),
      ChannelStatus.ENABLED.dbValue(),
      updatedAt
    };
    Object[] all = Arrays.copyOf(common, common.length + extras.length);
    System.arraycopy(extras, 0, all, common.length, extras.length);
    return all;
  }

  public Optional<Channel> findById(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM channels WHERE id = ?", this::map, id);
  }

  public Optional<Channel> findByName(String name) {
    return sql.one("SELECT " + COLUMNS + " FROM channels WHERE name = ? AND status <> ?", this::map,
        name, ChannelStatus.DELETED.dbValue());
  }

  public List<Channel> listVisible() {
    return sql.list(
        "SELECT " + COLUMNS + " FROM channels WHERE status <> ? ORDER BY id",
        this::map,
        ChannelStatus.DELETED.dbValue());
  }

  /** An operator's change of status; it clears any reason the gateway gave for disabling the channel. */
  public boolean setStatus(long id, ChannelStatus status) {
    // A deleted channel frees its name for a new one.
    String rename = status == ChannelStatus.DELETED ? ", name = CONCAT(name, '#deleted-', id)" : "";
    return sql.update(
            "UPDATE channels SET status = ?, status_reason = NULL, updated_at = ?" + rename
                + " WHERE id = ? AND status <> ?",
            status.dbValue(),
            nextStamp(),
            id,
            ChannelStatus.DELETED.dbValue())
        == 1;
  }

  /**
   * Takes an enabled channel out of routing because its upstream refused it; a channel an
   * operator disabled or deleted meanwhile is left as it is.
   *
   * @param reason for the operator; must not hold the channel's secret
   * @return true when the channel was enabled and is now auto-disabled
   */
  public boolean autoDisable(long id, String reason) {
    return sql.update(
            "UPDATE channels SET status = ?, status_reason = ?, updated_at = ? WHERE id = ? AND status = ?",
            ChannelStatus.AUTO_DISABLED.dbValue(),
            reason,
            nextStamp(),
            id,
            ChannelStatus.ENABLED.dbValue())
        == 1;
  }

  /** Why the gateway disabled the channel, while it stays so. */
  public Optional<String> statusReason(long id) {
    return sql.one("SELECT status_reason FROM channels WHERE id = ?", row -> Optional.ofNullable(row.getString(1)), id)
        .flatMap(reason -> reason);
  }

  /** Every visible channel that has a status reason, by id. */
  public Map<Long, String> statusReasons() {
    Map<Long, String> reasons = new HashMap<>();
    sql.list("SELECT id, status_reason FROM channels WHERE status_reason IS NOT NULL AND status <> ?",
            row -> Map.entry(row.getLong(1), row.getString(2)), ChannelStatus.DELETED.dbValue())
        .forEach(entry -> reasons.put(entry.getKey(), entry.getValue()));
    return reasons;
  }

  /**
   * An {@code updated_at} that moves the change stamp for sure: later than every channel's, even
   * when the clock has not ticked since the last change (else the catalog would miss it).
   */
  private long nextStamp() {
    long last = sql.one("SELECT MAX(updated_at) FROM channels", row -> row.getLong(1)).orElse(0L);
    return Math.max(clock.millis(), last + 1);
  }

  /** Changes whenever any channel is added or changed: cheap to poll. */
  public String changeStamp() {
    return sql.one(
            "SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM channels",
            row -> row.getLong("n") + ":" + row.getLong("last"))
        .orElse("0:0");
  }

  private Channel map(ResultSet row) throws SQLException {
    return new Channel(
        row.getLong("id"),
        row.getString("name"),
        row.getString("type"),
        row.getString("base_url"),
        secrets.decrypt(row.getString("secret_enc")),
        Arrays.stream(row.getString("models").split(","))
            .map(String::trim)
            .filter(m -> !m.isEmpty())
            .collect(Collectors.toSet()),
        parseMapping(row.getString("model_mapping")),
        row.getInt("priority"),
        row.getInt("weight"),
        ChannelStatus.fromDb(row.getString("status")),
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  private static String mappingJson(Map<String, String> mapping) {
    if (mapping == null || mapping.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(mapping);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("model mapping cannot be stored", e);
    }
  }

  private static Map<String, String> parseMapping(String json) throws SQLException {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("stored model mapping is not valid JSON", e);
    }
  }
}

package dev.tollgate.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.SecretBox;
import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Storage of channels; secrets are encrypted on the way in and decrypted on the way out. */
public final class ChannelRepository {

  /** The columns a {@link ChannelSpec} fills, in the order of {@link #specValues}. */
  private static final List<String> SPEC_COLUMNS = List.of(
      "name", "type", "base_url", "secret_enc", "models", "model_mapping", "priority", "weight", "param_overrides",
      "extra_headers", "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms", "caller_groups");
  private static final String COLUMNS = "id, " + String.join(", ", SPEC_COLUMNS) + ", status, created_at";
  private static final String INSERT = "INSERT INTO channels (" + String.join(", ", SPEC_COLUMNS)
      + ", status, updated_at, created_at) VALUES (" + "?, ".repeat(SPEC_COLUMNS.size()) + "?, ?, ?)";
  private static final String SET_SPEC = SPEC_COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(", "));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sql sql;
  private final SecretBox secrets;
  private final Clock clock;
  /** Channel id → whose key is next; kept here so that a reloaded channel continues the round. */
  private final Map<Long, AtomicInteger> keyTurns = new ConcurrentHashMap<>();

  public ChannelRepository(Sql sql, SecretBox secrets, Clock clock) {
    this.sql = sql;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Whether any channel that may still be used holds encrypted keys: then only the key they were
   * encrypted with will do, and a missing one must stop the start (see {@code SecretBox}).
   */
  public static boolean holdsSecrets(Sql sql) {
    return sql.one("SELECT COUNT(*) AS n FROM channels WHERE status <> ?", row -> row.getLong("n"),
        ChannelStatus.DELETED.dbValue()).orElse(0L) > 0;
  }

  /**
   * Decrypts one stored channel's keys, so that a secret key that is not the one they were stored
   * with stops the start with a clear message instead of failing requests.
   */
  public void verifySecretKey() {
    Optional<String> sample = sql.one("SELECT secret_enc FROM channels WHERE status <> ? ORDER BY id LIMIT 1",
        row -> row.getString("secret_enc"), ChannelStatus.DELETED.dbValue());
    try {
      sample.ifPresent(secrets::decrypt);
    } catch (ConfigException e) {
      throw new ConfigException("the stored channel keys cannot be decrypted with this secret key: secret_key"
          + " (TOLLGATE_SECRET_KEY) or <data_dir>/secret.key is not the key they were stored with", e);
    }
  }

  public Channel insert(ChannelSpec spec) {
    return insert(spec, ChannelStatus.ENABLED);
  }

  /** A new channel with the given status: one made disabled is never routed to, not even briefly. */
  public Channel insert(ChannelSpec spec, ChannelStatus status) {
    long now = clock.millis();
    long id = sql.insert(INSERT, concat(specValues(spec), status.dbValue(), now, now));
    return findById(id).orElseThrow();
  }

  /** Replaces the settings of a channel that is not deleted; its status stays. */
  public Optional<Channel> update(long id, ChannelSpec spec) {
    int changed = sql.update("UPDATE channels SET " + SET_SPEC + ", updated_at = ? WHERE id = ? AND status <> ?",
        concat(specValues(spec), nextStamp(), id, ChannelStatus.DELETED.dbValue()));
    return changed == 1 ? findById(id) : Optional.empty();
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
    sql.update("UPDATE channels SET " + SET_SPEC + ", status = ?, status_reason = NULL, updated_at = ? WHERE id = ?",
        concat(specValues(spec), ChannelStatus.ENABLED.dbValue(), nextStamp(), existing.get().id()));
    return findById(existing.get().id()).orElseThrow();
  }

  private Object[] specValues(ChannelSpec spec) {
    ChannelTimeouts timeouts = spec.timeouts();
    return new Object[] {
      spec.name(),
      spec.type(),
      spec.baseUrl(),
      secrets.encrypt(json(spec.secrets())),
      String.join(",", spec.models()),
      spec.modelMapping().isEmpty() ? null : json(new TreeMap<>(spec.modelMapping())),
      spec.priority(),
      spec.weight(),
      spec.paramOverrides().json(),
      spec.extraHeaders().isEmpty() ? null : json(new TreeMap<>(spec.extraHeaders())),
      timeouts.connectMs(),
      timeouts.firstByteMs(),
      timeouts.idleMs(),
      String.join(",", spec.groups())
    };
  }

  private static Object[] concat(Object[] values, Object... more) {
    Object[] all = Arrays.copyOf(values, values.length + more.length);
    System.arraycopy(more, 0, all, values.length, more.length);
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

  /** One page of the channels that are not deleted, by id. */
  public List<Channel> listVisible(int offset, int limit) {
    return sql.list("SELECT " + COLUMNS + " FROM channels WHERE status <> ? ORDER BY id LIMIT ? OFFSET ?",
        this::map, ChannelStatus.DELETED.dbValue(), limit, offset);
  }

  public long countVisible() {
    return sql.one("SELECT COUNT(*) AS n FROM channels WHERE status <> ?", row -> row.getLong("n"),
        ChannelStatus.DELETED.dbValue()).orElse(0L);
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
        new ChannelSecrets(parseSecrets(secrets.decrypt(row.getString("secret_enc"))),
            keyTurns.computeIfAbsent(row.getLong("id"), id -> new AtomicInteger())),
        commaSeparated(row.getString("models")),
        parseMap(row.getString("model_mapping"), "model mapping"),
        row.getInt("priority"),
        row.getInt("weight"),
        parseOverrides(row.getString("param_overrides")),
        parseMap(row.getString("extra_headers"), "extra headers"),
        new ChannelTimeouts(
            nullableInt(row, "connect_timeout_ms"), nullableInt(row, "first_byte_timeout_ms"),
            nullableInt(row, "idle_timeout_ms")),
        commaSeparated(row.getString("caller_groups")),
        ChannelStatus.fromDb(row.getString("status")),
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  private static Set<String> commaSeparated(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(m -> !m.isEmpty())
        .collect(Collectors.toSet());
  }

  private static Integer nullableInt(ResultSet row, String column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  /**
   * The decrypted keys: a JSON array of strings; rows written before channels had several keys
   * hold the one key itself (provider keys are never JSON arrays, so the two cannot be confused).
   */
  private static List<String> parseSecrets(String plain) throws SQLException {
    if (!plain.startsWith("[")) {
      return List.of(plain);
    }
    try {
      JsonNode array = JSON.readTree(plain);
      List<String> keys = new ArrayList<>();
      for (JsonNode key : array) {
        keys.add(key.asText());
      }
      return keys;
    } catch (JsonProcessingException e) {
      throw new SQLException("stored channel keys are not a JSON array");
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("channel settings cannot be stored", e);
    }
  }

  private static Map<String, String> parseMap(String json, String what) throws SQLException {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("stored " + what + " is not valid JSON", e);
    }
  }

  private static ParamOverrides parseOverrides(String json) throws SQLException {
    try {
      return ParamOverrides.parse(json);
    } catch (IllegalArgumentException e) {
      throw new SQLException("stored parameter overrides are not a JSON object", e);
    }
  }
}

package dev.tollgate.usage;

import dev.tollgate.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Storage of usage records. Writes come in batches from {@link UsageWriter}. */
public final class UsageRepository {

  private static final long DAY_MILLIS = 86_400_000L;
  private static final String COLUMNS =
      "request_id, created_at, key_id, model_requested, model_used, channel_id, stream, prompt_tokens,"
          + " completion_tokens, tokens_estimated, first_byte_ms, total_ms, status, error_code, attempts, user_id,"
          + " cached_tokens, cost, charge_shortfall, input_price, output_price, cached_input_price, price_ratio, byok,"
          + " workflow_tag, step, execution_id, source, project, billed_unit, billed_quantity, units_estimated, unit_price";

  private final Sql sql;

  public UsageRepository(Sql sql) {
    this.sql = sql;
  }

  /** Inserts all records in one transaction: either all are stored or none. */
  public void insertAll(List<UsageRecord> records) throws SQLException {
    try (Connection connection = sql.dataSource().getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement statement =
          connection.prepareStatement(
              "INSERT INTO usage_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (UsageRecord r : records) {
          Sql.bind(
              statement,
              r.requestId(),
              r.createdAt().toEpochMilli(),
              r.keyId(),
              r.modelRequested(),
              r.modelUsed(),
              r.channelId(),
              r.stream(),
              r.promptTokens(),
              r.completionTokens(),
              r.tokensEstimated(),
              r.firstByteMs(),
              r.totalMs(),
              r.status(),
              r.errorCode(),
              AttemptsJson.write(r.attempts()),
              r.userId(),
              r.cachedTokens(),
              r.cost(),
              r.chargeShortfall(),
              r.prices() == null ? null : r.prices().input(),
              r.prices() == null ? null : r.prices().output(),
              r.prices() == null ? null : r.prices().cachedInput(),
              r.prices() == null ? null : r.prices().ratio(),
              r.ownKey(),
              r.attribution().workflowTag(),
              r.attribution().step(),
              r.attribution().executionId(),
              r.attribution().source(),
              r.attribution().project(),
              r.units() == null ? null : r.units().unit(),
              r.units() == null ? null : r.units().quantity().toPlainString(),
              r.units() == null ? null : r.units().estimated(),
              r.units() == null ? null : r.units().unitPrice());
          statement.addBatch();
        }
        statement.executeBatch();
        addSpent(connection, records);
        RollupRepository.add(connection, records);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * Moves the spent quota of every account and key the records charged, and the accounts' request
   * counts, in the records' own transaction: a record and the quota it spent are stored together
   * or not at all, so {@code used_quota == Σ cost} holds after every commit (and every crash).
   */
  private static void addSpent(Connection connection, List<UsageRecord> records) throws SQLException {
    Map<Long, long[]> byUser = new HashMap<>(); // user → {cost, requests}
    Map<Long, Long> byKey = new HashMap<>();
    for (UsageRecord r : records) {
      long[] user = byUser.computeIfAbsent(r.userId(), id -> new long[2]);
      user[0] += r.cost();
      user[1]++;
      if (r.cost() != 0) {
        byKey.merge(r.keyId(), r.cost(), Long::sum);
      }
    }
    try (PreparedStatement users = connection.prepareStatement(
            "UPDATE users SET used_quota = used_quota + ?, request_count = request_count + ? WHERE id = ?");
        PreparedStatement keys = connection.prepareStatement("UPDATE api_keys SET used_quota = used_quota + ? WHERE id = ?")) {
      for (Map.Entry<Long, long[]> user : byUser.entrySet()) {
        Sql.bind(users, user.getValue()[0], user.getValue()[1], user.getKey());
        users.addBatch();
      }
      for (Map.Entry<Long, Long> key : byKey.entrySet()) {
        Sql.bind(keys, key.getValue(), key.getKey());
        keys.addBatch();
      }
      users.executeBatch();
      if (!byKey.isEmpty()) {
        keys.executeBatch();
      }
    }
  }

  /** The newest records first. */
  public List<UsageRecord> recent(int limit) {
    return sql.list(
        "SELECT " + COLUMNS + " FROM usage_records ORDER BY id DESC LIMIT ?", UsageRepository::map, limit);
  }

  /** One entry of the usage log: the record, its row id (the paging cursor) and its key's name. */
  public record LogEntry(long id, UsageRecord record, String keyName) {}

  /** The records the filter selects, newest first, at most {@code limit}. */
  public List<LogEntry> log(LogFilter filter, int limit) {
    LogFilter.Where where = filter.where();
    Object[] params = java.util.Arrays.copyOf(where.params(), where.params().length + 1);
    params[params.length - 1] = limit;
    return sql.list("SELECT r.id AS log_id, k.name AS key_name, " + qualified()
            + " FROM usage_records r LEFT JOIN api_keys k ON k.id = r.key_id" + where.sql() + " ORDER BY r.id DESC LIMIT ?",
        row -> new LogEntry(row.getLong("log_id"), map(row), row.getString("key_name")), params);
  }

  private static String qualified() {
    return String.join(", ", java.util.Arrays.stream(COLUMNS.split(",")).map(c -> "r." + c.strip()).toList());
  }

  public List<UsageRecord> byRequestId(String requestId) {
    return sql.list("SELECT " + COLUMNS + " FROM usage_records WHERE request_id = ?", UsageRepository::map, requestId);
  }

  public long count() {
    return sql.one("SELECT COUNT(*) FROM usage_records", row -> row.getLong(1)).orElse(0L);
  }

  /**
   * Sets every account's and key's spent quota to the sum of its usage records' costs, the ledger
   * invariant. Records, their rollups and the spent quota they move are written in one transaction,
   * so this finds nothing to mend unless the tables were edited by hand; it is the start-up's proof
   * of that. It sums the hourly rollups, which hold every record's cost, the purged ones too.
   *
   * @return how many accounts and keys it corrected
   */
  public int reconcileSpent() {
    return sql.inTransaction(tx ->
        tx.update("UPDATE users SET used_quota = COALESCE((SELECT SUM(cost) FROM usage_rollups r WHERE r.user_id = users.id), 0)"
                + " WHERE used_quota <> COALESCE((SELECT SUM(cost) FROM usage_rollups r WHERE r.user_id = users.id), 0)")
            + tx.update("UPDATE api_keys SET used_quota = COALESCE((SELECT SUM(cost) FROM usage_rollups r WHERE r.key_id = api_keys.id), 0)"
                + " WHERE used_quota <> COALESCE((SELECT SUM(cost) FROM usage_rollups r WHERE r.key_id = api_keys.id), 0)"));
  }

  /**
   * Deletes up to {@code limit} of the oldest records received before {@code cutoff}; answers how
   * many it deleted. Only records go: the rollups keep their counts and costs. The chunk is an id
   * range (portable, where {@code DELETE … LIMIT} and LIMIT in subqueries are not), so a purge
   * never holds one long transaction over millions of rows.
   */
  public int purgeBefore(Instant cutoff, int limit) {
    List<Long> ids = sql.list("SELECT id FROM usage_records WHERE created_at < ? ORDER BY id LIMIT ?",
        row -> row.getLong(1), cutoff.toEpochMilli(), limit);
    if (ids.isEmpty()) {
      return 0;
    }
    return sql.update("DELETE FROM usage_records WHERE id >= ? AND id <= ? AND created_at < ?",
        ids.getFirst(), ids.getLast(), cutoff.toEpochMilli());
  }

  /** One UTC day of a user's charges. */
  public record DailyCharges(Instant day, long requests, long cost) {}

  /**
   * The user's charges per UTC day, from the day {@code since} falls in, newest day first. Read
   * from the hourly rollups, which the retention purge leaves whole.
   */
  public List<DailyCharges> dailyCharges(long userId, Instant since) {
    long firstDay = since.toEpochMilli() - since.toEpochMilli() % DAY_MILLIS;
    // hour - hour % day: the day's start, in SQL that all three databases read alike
    return sql.list("SELECT hour - hour % 86400000 AS day, SUM(requests) AS requests, SUM(cost) AS cost"
            + " FROM usage_rollups WHERE user_id = ? AND hour >= ?"
            + " GROUP BY hour - hour % 86400000 ORDER BY day DESC",
        row -> new DailyCharges(Instant.ofEpochMilli(row.getLong("day")), row.getLong("requests"), row.getLong("cost")),
        userId, firstDay);
  }

  private static UsageRecord map(ResultSet row) throws SQLException {
    Long channel = Sql.nullableLong(row, "channel_id");
    Long firstByte = Sql.nullableLong(row, "first_byte_ms");
    Long inputPrice = Sql.nullableLong(row, "input_price");
    return new UsageRecord(
        row.getString("request_id"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        row.getLong("key_id"),
        row.getString("model_requested"),
        row.getString("model_used"),
        channel,
        row.getInt("stream") == 1,
        row.getInt("prompt_tokens"),
        row.getInt("completion_tokens"),
        row.getInt("tokens_estimated") == 1,
        firstByte == null ? null : firstByte.intValue(),
        row.getInt("total_ms"),
        row.getInt("status"),
        row.getString("error_code"),
        AttemptsJson.read(row.getString("attempts")),
        row.getLong("user_id"),
        row.getInt("cached_tokens"),
        row.getLong("cost"),
        row.getLong("charge_shortfall"),
        inputPrice == null ? null : new UsageRecord.Prices(inputPrice, row.getLong("output_price"),
            Sql.nullableLong(row, "cached_input_price"), row.getString("price_ratio")),
        row.getInt("byok") == 1,
        new Attribution(row.getString("workflow_tag"), row.getString("step"), row.getString("execution_id"),
            row.getString("source"), row.getString("project")),
        units(row));
  }

  private static UsageRecord.Units units(ResultSet row) throws SQLException {
    String unit = row.getString("billed_unit");
    return unit == null ? null : new UsageRecord.Units(unit, new java.math.BigDecimal(row.getString("billed_quantity")),
        row.getInt("units_estimated") == 1, row.getLong("unit_price"));
  }
}

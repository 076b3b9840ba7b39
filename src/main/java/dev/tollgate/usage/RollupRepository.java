package dev.tollgate.usage;

import dev.tollgate.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a batch of records to the hourly rollups, inside the batch's transaction: the stats and
 * the attribution read these, never the records. Usage and latency are rolled up twice: per
 * account (and key), and over every account, so that an all-account report reads few rows.
 * Portable upsert: one batched UPDATE per table, then an INSERT of the rows it did not find. Two nodes inserting the same new row make one
 * transaction fail on the key; the writer retries it whole, and then finds the row.
 */
final class RollupRepository {

  static final long HOUR_MS = 3_600_000;

  private RollupRepository() {}

  static void add(Connection connection, List<UsageRecord> records) throws SQLException {
    Map<List<Object>, long[]> usage = new LinkedHashMap<>();
    Map<List<Object>, long[]> usageAll = new LinkedHashMap<>();
    Map<List<Object>, long[]> latency = new LinkedHashMap<>();
    Map<List<Object>, long[]> latencyAll = new LinkedHashMap<>();
    Map<List<Object>, long[]> attribution = new LinkedHashMap<>();
    for (UsageRecord r : records) {
      long hour = hourOf(r.createdAt().toEpochMilli());
      boolean success = r.status() < 400;
      long[] sums = {1, success ? 1 : 0, r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.cost()};
      add(usage.computeIfAbsent(List.of(hour, r.userId(), r.keyId(), r.modelRequested()), k -> new long[6]), sums);
      add(usageAll.computeIfAbsent(List.of(hour, r.modelRequested()), k -> new long[6]), sums);
      if (success) {
        int bucket = LatencyBuckets.of(r.totalMs());
        add(latency.computeIfAbsent(List.of(hour, r.userId(), bucket), k -> new long[1]), 1);
        add(latencyAll.computeIfAbsent(List.of(hour, bucket), k -> new long[1]), 1);
      }
      Attribution a = r.attribution();
      add(attribution.computeIfAbsent(List.of(hour, r.userId(), blank(a.project()), blank(a.workflowTag()),
              blank(a.step()), blank(a.executionId())), k -> new long[4]),
          1, r.promptTokens(), r.completionTokens(), r.cost());
    }
    List<String> usageSums = List.of("requests", "successes", "prompt_tokens", "completion_tokens", "cached_tokens", "cost");
    upsert(connection, "usage_rollups", List.of("hour", "user_id", "key_id", "model"), usageSums, usage);
    upsert(connection, "usage_rollups_all", List.of("hour", "model"), usageSums, usageAll);
    upsert(connection, "latency_rollups", List.of("hour", "user_id", "bucket"), List.of("requests"), latency);
    upsert(connection, "latency_rollups_all", List.of("hour", "bucket"), List.of("requests"), latencyAll);
    upsert(connection, "attribution_rollups",
        List.of("hour", "user_id", "project", "workflow_tag", "step", "execution_id"),
        List.of("requests", "prompt_tokens", "completion_tokens", "cost"), attribution);
  }

  static long hourOf(long epochMillis) {
    return epochMillis - Math.floorMod(epochMillis, HOUR_MS);
  }

  /** The rollups' spelling of an absent attribution part. */
  static String blank(String value) {
    return value == null ? "" : value;
  }

  private static void add(long[] sums, long... values) {
    for (int i = 0; i < values.length; i++) {
      sums[i] += values[i];
    }
  }

  private static void upsert(Connection connection, String table, List<String> keys, List<String> sums,
      Map<List<Object>, long[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String set = String.join(", ", sums.stream().map(c -> c + " = " + c + " + ?").toList());
    String where = String.join(" AND ", keys.stream().map(c -> c + " = ?").toList());
    List<Map.Entry<List<Object>, long[]>> entries = new ArrayList<>(rows.entrySet());
    int[] updated;
    try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET " + set + " WHERE " + where)) {
      for (Map.Entry<List<Object>, long[]> row : entries) {
        Sql.bind(update, values(row.getKey(), row.getValue(), true));
        update.addBatch();
      }
      updated = update.executeBatch();
    }
    String columns = String.join(", ", keys) + ", " + String.join(", ", sums);
    String marks = String.join(", ", java.util.Collections.nCopies(keys.size() + sums.size(), "?"));
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
      int missing = 0;
      for (int i = 0; i < entries.size(); i++) {
        if (updated[i] == 0) {
          Map.Entry<List<Object>, long[]> row = entries.get(i);
          Sql.bind(insert, values(row.getKey(), row.getValue(), false));
          insert.addBatch();
          missing++;
        }
      }
      if (missing > 0) {
        insert.executeBatch();
      }
    }
  }

  /** The sums and the key columns' values, in the order the statement names them. */
  private static Object[] values(List<Object> keys, long[] sums, boolean sumsFirst) {
    List<Object> values = new ArrayList<>(keys.size() + sums.length);
    List<Object> sumValues = java.util.Arrays.stream(sums).boxed().map(Object.class::cast).toList();
    values.addAll(sumsFirst ? sumValues : keys);
    values.addAll(sumsFirst ? keys : sumValues);
    return values.toArray();
  }
}

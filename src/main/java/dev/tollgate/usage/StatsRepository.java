package dev.tollgate.usage;

import dev.tollgate.db.Sql;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Statistics over a period, read from the hourly rollups only (never the records), so that their
 * cost depends on hours × keys × models, not on how many requests there were.
 */
public final class StatsRepository {

  private final Sql sql;

  public StatsRepository(Sql sql) {
    this.sql = sql;
  }

  /** Sums of a slice of the period. */
  public static final class Totals {
    long requests;
    long successes;
    long promptTokens;
    long completionTokens;
    long cachedTokens;
    long cost;

    void add(long requests, long successes, long prompt, long completion, long cached, long cost) {
      this.requests += requests;
      this.successes += successes;
      this.promptTokens += prompt;
      this.completionTokens += completion;
      this.cachedTokens += cached;
      this.cost += cost;
    }

    public long requests() { return requests; }
    public long successes() { return successes; }
    public long promptTokens() { return promptTokens; }
    public long completionTokens() { return completionTokens; }
    public long cachedTokens() { return cachedTokens; }
    /** Micro-cents. */
    public long cost() { return cost; }
  }

  /**
   * @param buckets every bucket of the period in time order (empty ones included), keyed by start
   * @param models per requested model, the costliest first
   * @param p50Ms median total latency of successful requests, -1 when there were none
   */
  public record Report(Period period, Instant from, Instant to, Totals totals, Map<Instant, Totals> buckets,
      Map<String, Totals> models, int p50Ms, int p95Ms) {}

  /** @param userId one account's, or null for every account's */
  public Report report(Period period, Instant now, Long userId) {
    Instant from = period.start(now);
    Instant to = period.end(now);
    Map<Instant, Totals> buckets = new LinkedHashMap<>();
    for (Instant b = from; b.isBefore(to); b = period.next(b)) {
      buckets.put(b, new Totals());
    }
    Totals totals = new Totals();
    Map<String, Totals> models = new LinkedHashMap<>();
    // Every account's report reads the all-account rollups: one row per model (bucket) per hour.
    String user = userId == null ? "" : " AND user_id = ?";
    String suffix = userId == null ? "_all" : "";
    Object[] params = userId == null
        ? new Object[] {from.toEpochMilli(), to.toEpochMilli()}
        : new Object[] {from.toEpochMilli(), to.toEpochMilli(), userId};
    sql.list("SELECT hour, model, SUM(requests) AS requests, SUM(successes) AS successes, SUM(prompt_tokens) AS prompt,"
            + " SUM(completion_tokens) AS completion, SUM(cached_tokens) AS cached, SUM(cost) AS cost"
            + " FROM usage_rollups" + suffix + " WHERE hour >= ? AND hour < ?" + user + " GROUP BY hour, model",
        row -> {
          long[] v = {row.getLong("requests"), row.getLong("successes"), row.getLong("prompt"),
              row.getLong("completion"), row.getLong("cached"), row.getLong("cost")};
          Instant bucket = period.bucketOf(Instant.ofEpochMilli(row.getLong("hour")));
          for (Totals t : List.of(totals, buckets.get(bucket), models.computeIfAbsent(row.getString("model"), m -> new Totals()))) {
            t.add(v[0], v[1], v[2], v[3], v[4], v[5]);
          }
          return null;
        },
        params);
    long[] latency = new long[LatencyBuckets.COUNT];
    sql.list("SELECT bucket, SUM(requests) AS requests FROM latency_rollups" + suffix + " WHERE hour >= ? AND hour < ?" + user
            + " GROUP BY bucket",
        row -> latency[row.getInt("bucket")] += row.getLong("requests"), params);
    List<Map.Entry<String, Totals>> byCost = new ArrayList<>(models.entrySet());
    byCost.sort(Comparator.<Map.Entry<String, Totals>>comparingLong(e -> e.getValue().cost).reversed()
        .thenComparing(Map.Entry::getKey));
    Map<String, Totals> sorted = new LinkedHashMap<>();
    byCost.forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new Report(period, from, to, totals, buckets, sorted,
        LatencyBuckets.quantile(latency, 0.5), LatencyBuckets.quantile(latency, 0.95));
  }
}

package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten million requests over 35 days, from 100 accounts with two keys each on six models, rolled up
 * by the usage writer's own code ({@link RollupRepository#add}, in hour-ordered batches as the
 * writer sees them); then a 30-day report, for one account and for all of them, must answer in
 * under 100 ms and match sums kept while the requests were generated. The record rows are not
 * written: the stats never read them, and writing ten million would only slow the test down.
 *
 * <p>On the default database (SQLite) only: there the data set takes about 40 s to write; through
 * PostgreSQL's JDBC batches the same upserts took over nine minutes, too long for every build.
 * {@link UsageStatsTest} checks the same reports for exactness on all three databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsAtScaleTest {

  private static final Instant NOW = Instant.parse("2026-12-06T15:42:10Z");
  private static final int RECORDS = 10_000_000;
  private static final int DAYS = 35;
  private static final int ACCOUNTS = 100;
  private static final int KEYS_PER_ACCOUNT = 2;
  private static final long WATCHED_ACCOUNT = 7;
  private static final List<String> MODELS = List.of("gpt-a", "claude-b", "gemini-c", "llama-d", "mistral-e", "qwen-f");
  private static final long BUDGET_MS = 100;

  @TempDir static Path dir;
  private MigratedDatabase database;
  private Instant firstHour;
  /** Per hour since {@link #firstHour} × model: requests, prompt tokens, completion tokens, cost; all and one account. */
  private long[][][] everyone;
  private long[][][] watched;

  @BeforeAll
  void generate() throws Exception {
    database = MigratedDatabase.open(dir);
    int hours = DAYS * 24;
    firstHour = NOW.truncatedTo(ChronoUnit.HOURS).minus(hours - 1L, ChronoUnit.HOURS);
    everyone = new long[hours][MODELS.size()][4];
    watched = new long[hours][MODELS.size()][4];
    SplittableRandom random = new SplittableRandom(11);
    int perHour = RECORDS / hours;
    List<UsageRecord> batch = new ArrayList<>();
    for (int hour = 0; hour < hours; hour++) {
      for (int i = 0; i < (hour == 0 ? perHour + RECORDS % hours : perHour); i++) {
        batch.add(record(random, hour, everyone, watched));
      }
      if (batch.size() >= 100_000 || hour == hours - 1) {
        try (Connection connection = database.sql().dataSource().getConnection()) {
          connection.setAutoCommit(false);
          RollupRepository.add(connection, batch);
          connection.commit();
        }
        batch.clear();
      }
    }
  }

  private UsageRecord record(SplittableRandom random, int hour, long[][][] all, long[][][] one) {
    long account = 1 + random.nextInt(ACCOUNTS);
    long key = account * 10 + random.nextInt(KEYS_PER_ACCOUNT);
    int model = random.nextInt(MODELS.size());
    Instant at = firstHour.plusMillis(hour * RollupRepository.HOUR_MS + random.nextLong(RollupRepository.HOUR_MS));
    int status = random.nextInt(20) == 0 ? 502 : 200;
    int latency = 300 + (int) Math.min(120_000, Math.exp(random.nextDouble() * 10)); // 0.3 s .. 22 s, log-spread
    int prompt = random.nextInt(20_000);
    int completion = random.nextInt(2_000);
    long cost = random.nextLong(5_000_000);
    long[] sums = {1, prompt, completion, cost};
    add(all[hour][model], sums);
    if (account == WATCHED_ACCOUNT) {
      add(one[hour][model], sums);
    }
    return new UsageRecord(null, at, key, MODELS.get(model), null, null, false, prompt, completion, false, null,
        latency, status, null, List.of(), account, 0, cost, 0, null, false, null);
  }

  @AfterAll
  void close() {
    database.close();
  }

  @Test
  void aThirtyDayReportForOneAccountAnswersInUnder100ms() {
    StatsRepository stats = new StatsRepository(database.sql());
    StatsRepository.Report report = timed(() -> stats.report(Period.MONTH, NOW, WATCHED_ACCOUNT), "one account, 30 days");
    assertMatches(report, watched, Period.MONTH);
  }

  @Test
  void aThirtyDayReportForEveryAccountAnswersInUnder100ms() {
    StatsRepository stats = new StatsRepository(database.sql());
    StatsRepository.Report report = timed(() -> stats.report(Period.MONTH, NOW, null), "every account, 30 days");
    assertMatches(report, everyone, Period.MONTH);
    assertThat(report.totals().requests()).as("most of the ten million fall in the 30 days").isGreaterThan(8_000_000);
  }

  @Test
  void aDayByTheHourForEveryAccountAnswersInUnder100ms() {
    StatsRepository stats = new StatsRepository(database.sql());
    StatsRepository.Report report = timed(() -> stats.report(Period.DAY, NOW, null), "every account, 24 hours");
    assertMatches(report, everyone, Period.DAY);
  }

  /** The median of five runs after two to warm up (the JIT, the database's page cache). */
  private static StatsRepository.Report timed(Supplier<StatsRepository.Report> query, String what) {
    query.get();
    query.get();
    long[] nanos = new long[5];
    StatsRepository.Report report = null;
    for (int run = 0; run < nanos.length; run++) {
      long start = System.nanoTime();
      report = query.get();
      nanos[run] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    long medianMs = nanos[nanos.length / 2] / 1_000_000;
    System.out.printf("stats at scale: %s in %d ms (median of 5; fastest %d ms)%n", what, medianMs, nanos[0] / 1_000_000);
    assertThat(medianMs).as(what + " (ms)").isLessThan(BUDGET_MS);
    return report;
  }

  private void assertMatches(StatsRepository.Report report, long[][][] expected, Period period) {
    int from = (int) ChronoUnit.HOURS.between(firstHour, period.start(NOW));
    int to = Math.min(expected.length, (int) ChronoUnit.HOURS.between(firstHour, period.end(NOW))); // none after now
    long[] total = new long[4];
    for (int model = 0; model < MODELS.size(); model++) {
      long[] modelSums = new long[4];
      for (int hour = from; hour < to; hour++) {
        add(modelSums, expected[hour][model]);
      }
      assertSums(report.models().get(MODELS.get(model)), modelSums, MODELS.get(model));
      add(total, modelSums);
    }
    assertSums(report.totals(), total, "totals");
    for (Map.Entry<Instant, StatsRepository.Totals> bucket : report.buckets().entrySet()) {
      long[] bucketSums = new long[4];
      for (int hour = from; hour < to; hour++) {
        if (period.bucketOf(firstHour.plus(hour, ChronoUnit.HOURS)).equals(bucket.getKey())) {
          Arrays.stream(expected[hour]).forEach(m -> add(bucketSums, m));
        }
      }
      assertSums(bucket.getValue(), bucketSums, "bucket " + bucket.getKey());
    }
    assertThat(report.p50Ms()).isPositive();
    assertThat(report.p95Ms()).isGreaterThanOrEqualTo(report.p50Ms());
  }

  private static void add(long[] sums, long[] values) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += values[i];
    }
  }

  private static void assertSums(StatsRepository.Totals actual, long[] expected, String what) {
    assertThat(actual).as(what).isNotNull();
    assertThat(new long[] {actual.requests(), actual.promptTokens(), actual.completionTokens(), actual.cost()})
        .as(what + ": requests, prompt, completion, cost").containsExactly(expected);
  }
}

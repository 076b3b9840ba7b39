package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.DrivenClock;
import dev.tollgate.testing.MigratedDatabase;
import dev.tollgate.testing.UsesDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention purge deletes exactly the old records, in chunks, and leaves every total as it was. */
@UsesDatabase
class UsagePurgeTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @TempDir Path dir;
  private MigratedDatabase database;
  private Sql sql;
  private UsageRepository records;

  @BeforeEach
  void open() {
    database = MigratedDatabase.open(dir);
    sql = database.sql();
    records = new UsageRepository(sql);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static UsageRecord record(int i, Instant at, Random random) {
    return new UsageRecord("req-" + i, at, 1 + random.nextInt(3), "m-" + random.nextInt(3), "up", 1L, false,
        random.nextInt(1_000), random.nextInt(500), false, 5, 10, random.nextInt(10) == 0 ? 502 : 200, null, List.of(),
        1 + random.nextInt(2), 0, random.nextInt(100_000), 0, null, false, new Attribution("wf", null, null, null, null));
  }

  private String totals() {
    return sql.one("SELECT SUM(requests), SUM(successes), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost),"
        + " COUNT(*) FROM usage_rollups", row -> row.getLong(1) + "/" + row.getLong(2) + "/" + row.getLong(3) + "/"
        + row.getLong(4) + "/" + row.getLong(5) + "/" + row.getLong(6)).orElseThrow()
        + " " + sql.one("SELECT SUM(requests), SUM(cost) FROM attribution_rollups", row -> row.getLong(1) + "/" + row.getLong(2))
            .orElseThrow()
        + " " + sql.one("SELECT SUM(requests) FROM latency_rollups", row -> row.getLong(1)).orElseThrow();
  }

  @Test
  void recordsOlderThanTheRetentionGoInChunksAndTheRollupsStay() throws Exception {
    Random random = new Random(7);
    List<UsageRecord> all = new ArrayList<>();
    for (int i = 0; i < 2 * UsagePurge.CHUNK + 1_500; i++) {
      // 90 days back, written out of time order (ids do not follow the time)
      all.add(record(i, NOW.minusMillis((long) (random.nextDouble() * 90 * 86_400_000L)), random));
    }
    for (int from = 0; from < all.size(); from += 1_000) {
      records.insertAll(all.subList(from, Math.min(all.size(), from + 1_000)));
    }
    Instant cutoff = NOW.minus(Duration.ofDays(30));
    Set<String> kept = new HashSet<>();
    all.stream().filter(r -> !r.createdAt().isBefore(cutoff)).forEach(r -> kept.add(r.requestId()));
    String before = totals();
    List<UsageRepository.DailyCharges> chargesBefore = records.dailyCharges(1, NOW.minus(Duration.ofDays(90)));

    long deleted;
    try (UsagePurge purge = new UsagePurge(records, Duration.ofDays(30), new DrivenClock(NOW))) {
      deleted = purge.purge();
    }

    assertThat(deleted).isEqualTo(all.size() - kept.size()).as("more than one chunk").isGreaterThan(UsagePurge.CHUNK);
    Set<String> left = new HashSet<>(sql.list("SELECT request_id FROM usage_records", row -> row.getString(1)));
    assertThat(left).isEqualTo(kept);
    assertThat(totals()).as("rollups are not purged").isEqualTo(before);
    assertThat(records.dailyCharges(1, NOW.minus(Duration.ofDays(90)))).as("the quota journal reads the rollups")
        .isEqualTo(chargesBefore);
    assertThat(records.reconcileSpent()).as("spent quota still matches: nothing to mend").isZero();
    try (UsagePurge again = new UsagePurge(records, Duration.ofDays(30), new DrivenClock(NOW))) {
      assertThat(again.purge()).isZero();
    }
  }
}

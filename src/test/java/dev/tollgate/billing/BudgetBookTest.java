package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.DrivenClock;
import dev.tollgate.testing.MigratedDatabase;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import dev.tollgate.usage.UsageWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a budget has spent: records held by the writer and records stored (by this node or
 * another) each count once, per UTC day or month. Runs on SQLite, PostgreSQL and MariaDB.
 */
@UsesDatabase
class BudgetBookTest {

  private static final long CENT = Money.MICROS_PER_CENT;
  private static final AtomicInteger IDS = new AtomicInteger();

  @TempDir Path dir;
  private MigratedDatabase database;
  private UsageRepository records;
  private UsageWriter writer;
  private BudgetRepository budgets;
  private BudgetBook book;
  private final DrivenClock clock = new DrivenClock(Instant.parse("2026-12-06T15:00:00Z"));

  @BeforeEach
  void open() throws Exception {
    database = MigratedDatabase.open(dir);
    Sql sql = database.sql();
    records = new UsageRepository(sql);
    writer = new UsageWriter(records, 5, 5);
    budgets = new BudgetRepository(sql);
    book = new BudgetBook(budgets, writer, clock).start();
  }

  @AfterEach
  void close() {
    book.close();
    writer.close();
    database.close();
  }

  private static UsageRecord record(long userId, Instant at, long cost, String workflow, String project) {
    return new UsageRecord("req-" + IDS.incrementAndGet(), at, 1, "m", "m", 1L, false, 10, 5, false, 10, 20, 200, null,
        List.of(), userId, 0, cost, 0, null, false, new Attribution(workflow, null, null, null, project));
  }

  private Budget budget(long userId, Budget.Dimension dimension, String name, Budget.Period period, long cents) {
    Budget budget = budgets.create(userId, dimension, name, period, cents * CENT);
    book.reload();
    return budget;
  }

  private void drain() throws InterruptedException {
    for (int i = 0; i < 500 && writer.pending() > 0; i++) {
      Thread.sleep(10);
    }
    assertThat(writer.pending()).isZero();
  }

  @Test
  void aRecordCountsOnceBeforeAndAfterItIsCommitted() throws Exception {
    Budget etl = budget(1, Budget.Dimension.WORKFLOW, "etl", Budget.Period.DAY, 100);

    writer.betweenBatches(() -> { // the writer cannot commit meanwhile: the record is only held
      writer.submit(record(1, clock.instant(), 40 * CENT, "etl", null));
      assertThat(book.spent(etl, clock.instant())).isEqualTo(40 * CENT);
      return null;
    });
    drain();
    assertThat(book.spent(etl, clock.instant())).as("committed: now part of the stored spend").isEqualTo(40 * CENT);
    book.reload();
    assertThat(book.spent(etl, clock.instant())).as("read back from the rollups").isEqualTo(40 * CENT);
    assertThat(book.refusal(1, new Attribution("etl", null, null, null, null))).isEmpty();

    writer.submit(record(1, clock.instant(), 60 * CENT, "etl", null));
    Optional<String> refusal = book.refusal(1, new Attribution("etl", "load", null, null, null));
    assertThat(refusal).hasValueSatisfying(message -> assertThat(message)
        .contains("workflow 'etl'").contains("100 cents per day").contains("100 cents this day")
        .contains("renews at 2026-12-07T00:00:00Z"));
  }

  @Test
  void anotherNodesStoredSpendCountsFromTheNextRead() throws Exception {
    Budget atlas = budget(1, Budget.Dimension.PROJECT, "atlas", Budget.Period.MONTH, 1_000);
    records.insertAll(List.of(record(1, clock.instant().minus(Duration.ofDays(3)), 70 * CENT, null, "atlas"),
        record(1, clock.instant().minus(Duration.ofDays(10)), 5 * CENT, null, "atlas"))); // last month: not counted
    assertThat(book.spent(atlas, clock.instant())).isZero();
    book.reload();
    assertThat(book.spent(atlas, clock.instant())).isEqualTo(70 * CENT);
  }

  @Test
  void daysAndMonthsRenewAtUtcMidnight() throws Exception {
    clock.advance(Duration.between(clock.instant(), Instant.parse("2026-12-31T23:30:00Z")));
    Budget day = budget(1, Budget.Dimension.PROJECT, "p", Budget.Period.DAY, 100);
    Budget month = budget(1, Budget.Dimension.PROJECT, "p", Budget.Period.MONTH, 100);
    records.insertAll(List.of(record(1, Instant.parse("2026-12-30T12:00:00Z"), 10 * CENT, null, "p")));
    writer.submit(record(1, clock.instant(), 50 * CENT, null, "p"));
    drain();
    book.reload();
    assertThat(book.spent(day, clock.instant())).isEqualTo(50 * CENT);
    assertThat(book.spent(month, clock.instant())).isEqualTo(60 * CENT);

    clock.advance(Duration.ofMinutes(40)); // 2027-01-01T00:10Z
    assertThat(book.spent(day, clock.instant())).as("before the next read").isZero();
    assertThat(book.spent(month, clock.instant())).isZero();
    writer.betweenBatches(() -> {
      writer.submit(record(1, clock.instant(), 7 * CENT, null, "p"));
      assertThat(book.spent(day, clock.instant())).isEqualTo(7 * CENT);
      return null;
    });
    drain();
    assertThat(book.spent(month, clock.instant())).isEqualTo(7 * CENT);
    book.reload();
    assertThat(book.spent(day, clock.instant())).isEqualTo(7 * CENT);
    assertThat(book.spent(month, clock.instant())).isEqualTo(7 * CENT);
  }

  @Test
  void onlyTheAccountsRequestsWithTheBudgetsTagCount() throws Exception {
    Budget etl = budget(1, Budget.Dimension.WORKFLOW, "etl", Budget.Period.DAY, 10);
    Instant now = clock.instant();
    writer.submit(record(2, now, 99 * CENT, "etl", null)); // another account's workflow of that name
    writer.submit(record(1, now, 99 * CENT, "other", "etl")); // a project named like the workflow
    writer.submit(record(1, now, 99 * CENT, null, null));
    writer.submit(record(1, now, 0, "etl", null)); // free
    writer.submit(record(1, now, 3 * CENT, "etl", "etl"));
    assertThat(book.spent(etl, now)).isEqualTo(3 * CENT);
    drain();
    book.reload();
    assertThat(book.spent(etl, now)).isEqualTo(3 * CENT);
    assertThat(book.refusal(2, new Attribution("etl", null, null, null, null))).as("account 2 has no budget").isEmpty();
    assertThat(book.refusal(1, new Attribution(null, null, null, null, "etl"))).as("no project budget").isEmpty();
  }

  @Test
  void manyCommitsDuringReadsCountEveryRecordExactlyOnce() throws Exception {
    Budget etl = budget(1, Budget.Dimension.WORKFLOW, "etl", Budget.Period.MONTH, 1_000_000);
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread reader = Thread.ofPlatform().start(() -> {
      while (writing.get()) {
        book.reload();
      }
    });
    long total = 0;
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      submitters.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 500; i++) {
          writer.submit(record(1, clock.instant(), (offset * 500 + i + 1) * 1_000L, "etl", null));
        }
      }));
    }
    for (int n = 1; n <= 2_000; n++) {
      total += n * 1_000L;
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    drain();
    writing.set(false);
    reader.join();
    assertThat(book.spent(etl, clock.instant())).as("without a read after the last commit").isEqualTo(total);
    book.reload();
    assertThat(book.spent(etl, clock.instant())).isEqualTo(total);
  }
}

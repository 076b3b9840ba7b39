package dev.tollgate.billing;

import dev.tollgate.db.ChangeWatch;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The budgets in memory, and what each has spent this period, for the relay to ask without
 * touching the database: the spend stored (re-read every few seconds, so other replicas' requests
 * count) plus this node's records the usage writer holds and has not committed yet.
 *
 * <p>Reads of the stored spend happen between the writer's batches, and each committed batch is
 * added to it as it moves out of "not committed": a record is counted exactly once on this node.
 * A budget stops new requests once its spend reaches the limit; requests already admitted finish,
 * so the spend can pass the limit by what they cost.
 */
public final class BudgetBook implements UsageWriter.Listener, AutoCloseable {

  /** The stored spend is re-read at least this often (another replica's records count from then). */
  static final long REFRESH_MILLIS = 5_000;
  private static final long POLL_MILLIS = 1_000;

  private final BudgetRepository repository;
  private final UsageWriter writer;
  private final Clock clock;
  private final ChangeWatch watch;
  private volatile Map<Long, List<Budget>> byUser = Map.of();
  /** Budget id → its spend as stored, for the period it was read in (plus batches committed since). */
  private final ConcurrentHashMap<Long, Stored> stored = new ConcurrentHashMap<>();
  /** Micro-cents of records submitted and not committed, by account, dimension, name and UTC day. */
  private final ConcurrentHashMap<Unsaved, Long> unsaved = new ConcurrentHashMap<>();

  private record Stored(Instant periodStart, long spend) {}

  private record Unsaved(long userId, Budget.Dimension dimension, String name, long epochDay) {}

  public BudgetBook(BudgetRepository repository, UsageWriter writer, Clock clock) {
    this.repository = repository;
    this.writer = writer;
    this.clock = clock;
    // A change to the budgets shows at the next poll; the spend is re-read when the time slot moves.
    this.watch = new ChangeWatch("budget",
        () -> repository.changeStamp() + "@" + clock.millis() / REFRESH_MILLIS, this::load);
    writer.addListener(this);
  }

  /** Loads now and keeps the budgets and their spend current. */
  public BudgetBook start() {
    watch.start(POLL_MILLIS);
    return this;
  }

  /** Reads the budgets and their spend at once (after a change made through this node). */
  public void reload() {
    watch.reload();
  }

  private void load() {
    Map<Long, List<Budget>> budgets = repository.list().stream()
        .collect(Collectors.groupingBy(Budget::userId, Collectors.toUnmodifiableList()));
    // Known to the commit listener first: a batch committed from here on is counted into the spend
    // read below, or is in the database when it is read, never both.
    byUser = budgets;
    Set<Long> ids = new HashSet<>();
    Instant now = clock.instant();
    for (List<Budget> ofUser : budgets.values()) {
      for (Budget budget : ofUser) {
        ids.add(budget.id());
        Instant start = budget.period().start(now);
        writer.betweenBatches(() -> stored.put(budget.id(), new Stored(start, repository.spentSince(budget, start))));
      }
    }
    stored.keySet().retainAll(ids);
  }

  public List<Budget> budgetsOf(long userId) {
    return byUser.getOrDefault(userId, List.of());
  }

  /**
   * Why a request with this attribution is refused, or empty when no budget of the account it
   * falls under is spent. On the event loop: memory only.
   */
  public Optional<String> refusal(long userId, Attribution attribution) {
    List<Budget> budgets = byUser.get(userId);
    if (budgets == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    for (Budget budget : budgets) {
      if (!budget.name().equals(value(budget.dimension(), attribution))) {
        continue;
      }
      long spent = spent(budget, now);
      if (spent >= budget.limit()) {
        return Optional.of("the budget for " + budget.describe() + " is spent: " + Money.microsAsCents(spent).toPlainString()
            + " cents this " + budget.period().wireName() + "; it renews at " + budget.period().renewal(now));
      }
    }
    return Optional.empty();
  }

  /** Micro-cents the budget's requests have cost this period, as far as this node knows. */
  public long spent(Budget budget, Instant now) {
    Instant start = budget.period().start(now);
    Stored read = stored.get(budget.id());
    long spend = read != null && read.periodStart().equals(start) ? read.spend() : 0;
    long firstDay = LocalDate.ofInstant(start, ZoneOffset.UTC).toEpochDay();
    long today = LocalDate.ofInstant(now, ZoneOffset.UTC).toEpochDay();
    for (long day = firstDay; day <= today; day++) {
      Long notCommitted = unsaved.get(new Unsaved(budget.userId(), budget.dimension(), budget.name(), day));
      if (notCommitted != null) {
        spend += notCommitted;
      }
    }
    return spend;
  }

  @Override
  public void submitted(UsageRecord record) {
    forEachTag(record, (dimension, name) -> add(unsavedKey(record, dimension, name), record.cost()));
  }

  @Override
  public void committed(List<UsageRecord> batch) {
    for (UsageRecord record : batch) {
      forEachTag(record, (dimension, name) -> {
        add(unsavedKey(record, dimension, name), -record.cost());
        for (Budget budget : budgetsOf(record.userId())) {
          if (budget.dimension() == dimension && budget.name().equals(name)) {
            countStored(budget, record);
          }
        }
      });
    }
  }

  /** A committed record moves into the stored spend of its budget's period (a new period starts at it). */
  private void countStored(Budget budget, UsageRecord record) {
    Instant start = budget.period().start(record.createdAt());
    stored.compute(budget.id(), (id, read) -> {
      if (read == null || read.periodStart().isBefore(start)) {
        return new Stored(start, record.cost());
      }
      return read.periodStart().equals(start) ? new Stored(start, read.spend() + record.cost()) : read;
    });
  }

  private void add(Unsaved key, long delta) {
    unsaved.compute(key, (k, sum) -> {
      long now = (sum == null ? 0 : sum) + delta;
      return now == 0 ? null : now; // bounded: an entry lives while its records are not committed
    });
  }

  private static Unsaved unsavedKey(UsageRecord record, Budget.Dimension dimension, String name) {
    return new Unsaved(record.userId(), dimension, name, LocalDate.ofInstant(record.createdAt(), ZoneOffset.UTC).toEpochDay());
  }

  private interface TagAction {
    void apply(Budget.Dimension dimension, String name);
  }

  private static void forEachTag(UsageRecord record, TagAction action) {
    if (record.cost() == 0) {
      return;
    }
    for (Budget.Dimension dimension : Budget.Dimension.values()) {
      String name = value(dimension, record.attribution());
      if (name != null) {
        action.apply(dimension, name);
      }
    }
  }

  private static String value(Budget.Dimension dimension, Attribution attribution) {
    return switch (dimension) {
      case WORKFLOW -> attribution.workflowTag();
      case PROJECT -> attribution.project();
    };
  }

  @Override
  public void close() {
    watch.close();
  }
}

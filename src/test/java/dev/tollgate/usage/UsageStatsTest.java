package dev.tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.MigratedDatabase;
import dev.tollgate.testing.UsesDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stats and attribution reports, read from the rollups the writer maintains, against a
 * brute-force recomputation over the same records (run on SQLite, PostgreSQL and MariaDB).
 */
@UsesDatabase
class UsageStatsTest {

  private static final Instant NOW = Instant.parse("2026-12-06T15:42:10Z");
  private static final List<String> MODELS = List.of("gpt-a", "claude-b", "gemini-c", "llama-d", "mistral-e");
  private static final List<Integer> STATUSES = List.of(200, 200, 200, 200, 200, 499, 502, 504, 400, 429);

  @TempDir Path dir;
  private MigratedDatabase database;
  private Sql sql;
  private final List<UsageRecord> records = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    database = MigratedDatabase.open(dir);
    sql = database.sql();
    Random random = new Random(42);
    for (int i = 0; i < 3_000; i++) {
      records.add(randomRecord(random, i));
    }
    UsageRepository repository = new UsageRepository(sql);
    for (int from = 0; from < records.size(); from += 400) { // several batches: rows met again are updated
      repository.insertAll(records.subList(from, Math.min(records.size(), from + 400)));
    }
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static UsageRecord randomRecord(Random random, int i) {
    // 35 days back, so that some records fall before every period; a few in the current hour
    Instant at = i % 50 == 0 ? NOW.minusSeconds(random.nextInt(2_000)) : NOW.minusMillis((long) (random.nextDouble() * 35 * 86_400_000L));
    int status = STATUSES.get(random.nextInt(STATUSES.size()));
    String error = status == 504 ? "upstream_timeout" : status >= 400 ? "upstream_error" : null;
    int latency = (int) Math.min(400_000, Math.exp(random.nextDouble() * 12)); // 1 ms .. ~160 s, log-spread
    String workflow = random.nextInt(4) == 0 ? null : "wf-" + random.nextInt(3);
    Attribution attribution = new Attribution(workflow, workflow == null ? null : "step-" + random.nextInt(3),
        random.nextInt(3) == 0 ? null : "run-" + random.nextInt(40), "cli", random.nextBoolean() ? null : "proj-" + random.nextInt(2));
    return new UsageRecord("req-" + i, at, 1 + random.nextInt(4), MODELS.get(random.nextInt(MODELS.size())), "up",
        1L, random.nextBoolean(), random.nextInt(5_000), random.nextInt(2_000), false, latency / 2, latency, status, error,
        List.of(), 1 + random.nextInt(3), random.nextInt(100), random.nextInt(3_000_000), 0, null, false, attribution);
  }

  private List<UsageRecord> selected(Period period, Long user) {
    Instant from = period.start(NOW);
    Instant to = period.end(NOW);
    Predicate<UsageRecord> inPeriod = r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to);
    return records.stream().filter(inPeriod).filter(r -> user == null || r.userId() == user).toList();
  }

  @Test
  void statsMatchABruteForceRecomputationForEveryPeriodAndScope() {
    StatsRepository stats = new StatsRepository(sql);
    for (Period period : Period.values()) {
      for (Long user : Arrays.asList(null, 2L)) {
        List<UsageRecord> expected = selected(period, user);
        StatsRepository.Report report = stats.report(period, NOW, user);
        String scope = period.wireName() + " user " + user;

        assertThat(expected).as(scope).hasSizeGreaterThan(10);
        assertSums(report.totals(), expected, scope);
        assertThat(report.totals().successes()).isEqualTo(expected.stream().filter(r -> r.status() < 400).count());
        assertThat(report.buckets()).as(scope).hasSize(period == Period.DAY ? 24 : period == Period.WEEK ? 7 : 30);
        ChronoUnit unit = period.hourly() ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        report.buckets().forEach((start, sums) -> assertSums(sums,
            expected.stream().filter(r -> r.createdAt().truncatedTo(unit).equals(start)).toList(), scope + " " + start));
        assertThat(report.buckets().keySet().iterator().next()).isEqualTo(period.start(NOW));

        Map<String, List<UsageRecord>> byModel = expected.stream().collect(Collectors.groupingBy(UsageRecord::modelRequested));
        assertThat(report.models().keySet()).as(scope).containsExactlyInAnyOrderElementsOf(byModel.keySet());
        report.models().forEach((model, sums) -> assertSums(sums, byModel.get(model), scope + " " + model));
        List<Long> costs = report.models().values().stream().map(StatsRepository.Totals::cost).toList();
        assertThat(costs).as("costliest model first").isSortedAccordingTo((a, b) -> Long.compare(b, a));

        int[] latencies = expected.stream().filter(r -> r.status() < 400).mapToInt(UsageRecord::totalMs).sorted().toArray();
        assertSameBucket(report.p50Ms(), nearestRank(latencies, 0.5), scope + " p50");
        assertSameBucket(report.p95Ms(), nearestRank(latencies, 0.95), scope + " p95");
      }
    }
  }

  @Test
  void anEmptyPeriodHasZerosAndNoLatency() {
    StatsRepository.Report report = new StatsRepository(sql).report(Period.DAY, NOW.plus(Duration.ofDays(400)), null);
    assertThat(report.totals().requests()).isZero();
    assertThat(report.p50Ms()).isEqualTo(-1);
    assertThat(report.buckets().values()).allSatisfy(b -> assertThat(b.requests()).isZero());
  }

  @Test
  void attributionMatchesABruteForceRecomputation() {
    AttributionRepository attribution = new AttributionRepository(sql);
    for (Long user : Arrays.asList(null, 3L)) {
      List<UsageRecord> expected = selected(Period.WEEK, user);
      AttributionRepository.Report report = attribution.report(Period.WEEK, NOW, user);

      Map<String, List<UsageRecord>> byWorkflow = group(expected, r -> r.attribution().workflowTag());
      assertThat(report.workflows()).extracting(AttributionRepository.Workflow::tag)
          .containsExactlyInAnyOrderElementsOf(byWorkflow.keySet());
      for (AttributionRepository.Workflow workflow : report.workflows()) {
        List<UsageRecord> mine = byWorkflow.get(workflow.tag());
        assertThat(workflow.sums()).isEqualTo(sums(mine));
        Map<String, List<UsageRecord>> bySteps = group(mine, r -> r.attribution().step());
        assertThat(workflow.steps().keySet()).containsExactlyInAnyOrderElementsOf(bySteps.keySet());
        workflow.steps().forEach((step, sums) -> assertThat(sums).isEqualTo(sums(bySteps.get(step))));
      }

      Map<String, List<UsageRecord>> byProject = group(expected, r -> r.attribution().project());
      assertThat(report.projects().keySet()).containsExactlyInAnyOrderElementsOf(byProject.keySet());
      report.projects().forEach((project, sums) -> assertThat(sums).isEqualTo(sums(byProject.get(project))));

      Map<String, List<UsageRecord>> byExecution = group(
          expected.stream().filter(r -> r.attribution().executionId() != null).toList(),
          r -> r.attribution().workflowTag() + "/" + r.attribution().executionId());
      assertThat(report.executions()).hasSize(Math.min(byExecution.size(), AttributionRepository.MAX_EXECUTIONS));
      for (AttributionRepository.Execution execution : report.executions()) {
        assertThat(execution.sums()).isEqualTo(sums(byExecution.get(execution.workflowTag() + "/" + execution.executionId())));
      }
      assertThat(report.executions()).extracting(e -> e.sums().cost()).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }
  }

  private static Map<String, List<UsageRecord>> group(List<UsageRecord> records, java.util.function.Function<UsageRecord, String> key) {
    Map<String, List<UsageRecord>> groups = new LinkedHashMap<>();
    records.forEach(r -> groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r));
    return groups;
  }

  private static AttributionRepository.Sums sums(List<UsageRecord> records) {
    return new AttributionRepository.Sums(records.size(), records.stream().mapToLong(UsageRecord::promptTokens).sum(),
        records.stream().mapToLong(UsageRecord::completionTokens).sum(), records.stream().mapToLong(UsageRecord::cost).sum());
  }

  private static void assertSums(StatsRepository.Totals actual, List<UsageRecord> expected, String what) {
    assertThat(actual.requests()).as(what).isEqualTo(expected.size());
    assertThat(actual.promptTokens()).as(what).isEqualTo(expected.stream().mapToLong(UsageRecord::promptTokens).sum());
    assertThat(actual.completionTokens()).as(what).isEqualTo(expected.stream().mapToLong(UsageRecord::completionTokens).sum());
    assertThat(actual.cachedTokens()).as(what).isEqualTo(expected.stream().mapToLong(UsageRecord::cachedTokens).sum());
    assertThat(actual.cost()).as(what).isEqualTo(expected.stream().mapToLong(UsageRecord::cost).sum());
  }

  private static int nearestRank(int[] sorted, double q) {
    return sorted[(int) Math.ceil(q * sorted.length) - 1];
  }

  private static void assertSameBucket(int reported, int exact, String what) {
    assertThat(LatencyBuckets.of(reported)).as(what + ": reported " + reported + " ms, exact " + exact + " ms")
        .isEqualTo(LatencyBuckets.of(exact));
    assertThat(Objects.requireNonNull(reported)).isPositive();
  }
}

package dev.tollgate.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation upgraded with usage records already stored: the migrations that add the rollups
 * (V8, V10) must fill them from those records exactly as the usage writer would have, or the stats
 * and the quota journal would miss every request made before the upgrade.
 */
@UsesDatabase
class UsageRollupBackfillTest {

  private static final Instant NOW = Instant.parse("2026-12-06T15:42:10Z");
  private static final List<String> MODELS = List.of("gpt-a", "claude-b", "gemini-c");
  private static final List<String> ROLLUPS = List.of(
      "SELECT hour, user_id, key_id, model, requests, successes, prompt_tokens, completion_tokens, cached_tokens, cost"
          + " FROM usage_rollups ORDER BY hour, user_id, key_id, model",
      "SELECT hour, model, requests, successes, prompt_tokens, completion_tokens, cached_tokens, cost"
          + " FROM usage_rollups_all ORDER BY hour, model",
      "SELECT hour, user_id, bucket, requests FROM latency_rollups ORDER BY hour, user_id, bucket",
      "SELECT hour, bucket, requests FROM latency_rollups_all ORDER BY hour, bucket",
      "SELECT hour, user_id, project, workflow_tag, step, execution_id, requests, prompt_tokens, completion_tokens, cost"
          + " FROM attribution_rollups ORDER BY hour, user_id");

  @TempDir Path dir;

  @Test
  void recordsStoredBeforeTheRollupsExistedAreRolledUpAsTheWriterWouldHave() throws Exception {
    List<UsageRecord> records = records(new Random(7), 1_500);
    TestDatabase kind = TestDatabase.selected();
    try (TestDatabase.Scratch upgraded = kind.create(dir.resolve("upgraded"));
        TestDatabase.Scratch written = kind.create(dir.resolve("written"))) {
      TollgateConfig upgradedConfig = TestGateway.config(dir.resolve("upgraded"), upgraded.url(), 1_000, 1_000);
      try (Database beforeRollups = Database.open(upgradedConfig, MigrationVersion.fromVersion("7"))) {
        insertAsVersion7(new Sql(beforeRollups.dataSource()), records);
      }
      try (Database after = Database.open(upgradedConfig);
          Database byWriter = Database.open(TestGateway.config(dir.resolve("written"), written.url(), 1_000, 1_000))) {
        new UsageRepository(new Sql(byWriter.dataSource())).insertAll(records);

        for (String query : ROLLUPS) {
          List<String> expected = rows(new Sql(byWriter.dataSource()), query);
          assertThat(expected).as(query).isNotEmpty();
          assertThat(rows(new Sql(after.dataSource()), query)).as(query).containsExactlyElementsOf(expected);
        }
      }
    }
  }

  private static List<UsageRecord> records(Random random, int count) {
    List<UsageRecord> records = new ArrayList<>();
    int[] statuses = {200, 200, 200, 499, 502, 400};
    for (int i = 0; i < count; i++) {
      Instant at = NOW.minusMillis((long) (random.nextDouble() * 10 * 86_400_000L));
      int latency = (int) Math.min(400_000, Math.exp(random.nextDouble() * 12));
      int status = statuses[random.nextInt(statuses.length)];
      records.add(new UsageRecord("req-" + i, at, 1 + random.nextInt(3), MODELS.get(random.nextInt(MODELS.size())), "up",
          1L, random.nextBoolean(), random.nextInt(5_000), random.nextInt(2_000), false, latency / 2, latency, status,
          status >= 400 ? "upstream_error" : null, List.of(), 1 + random.nextInt(2), random.nextInt(100),
          random.nextInt(3_000_000), 0, null, false, null));
    }
    return records;
  }

  /** As a gateway at schema version 7 stored them: no attribution columns, no rollups. */
  private static void insertAsVersion7(Sql sql, List<UsageRecord> records) {
    for (UsageRecord r : records) {
      sql.update("INSERT INTO usage_records (request_id, created_at, key_id, model_requested, model_used, channel_id,"
              + " stream, prompt_tokens, completion_tokens, tokens_estimated, first_byte_ms, total_ms, status, error_code,"
              + " user_id, cost, cached_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          r.requestId(), r.createdAt().toEpochMilli(), r.keyId(), r.modelRequested(), r.modelUsed(), r.channelId(),
          r.stream() ? 1 : 0, r.promptTokens(), r.completionTokens(), 0, r.firstByteMs(), r.totalMs(), r.status(),
          r.errorCode(), r.userId(), r.cost(), r.cachedTokens());
    }
  }

  private static List<String> rows(Sql sql, String query) {
    return sql.list(query, row -> {
      StringBuilder line = new StringBuilder();
      for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
        line.append(column == 1 ? "" : " | ").append(row.getString(column));
      }
      return line.toString();
    });
  }
}

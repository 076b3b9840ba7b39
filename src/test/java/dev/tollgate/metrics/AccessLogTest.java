package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRecord.Attempt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static UsageRecord record(Integer firstByteMs, String errorCode, Attribution attribution) {
    return new UsageRecord("req_abc", Instant.parse("2026-12-06T10:00:00Z"), 5, "gpt-4.1", "gpt-4.1-2025-04-14", 7L,
        true, 11, 3, false, firstByteMs, 400, errorCode == null ? 200 : 502, errorCode,
        List.of(new Attempt(3, null, "timeout", 1_000), new Attempt(7, 200, null, 90)), 9, 4, 17_500_000, 0,
        new UsageRecord.Prices(1, 2, null, "1"), false, attribution);
  }

  @Test
  void aRequestIsOneJsonLineWrittenByTheLogsThread() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(out, false, false, new SimpleMeterRegistry());
    log.ended(WireProtocol.ANTHROPIC, record(120, null, new Attribution("nightly", "grade", "run-7", "ci", "atlas")),
        () -> "the secret plan");
    log.close();
    String[] written = out.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(written).as("one line and its newline").hasSize(2);
    assertThat(written[1]).isEmpty();
    String line = written[0];
    assertThat(line).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.path("time").asText()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(json.path("requestId").asText()).isEqualTo("req_abc");
    assertThat(json.path("protocol").asText()).isEqualTo("anthropic");
    assertThat(json.path("model").asText()).isEqualTo("gpt-4.1");
    assertThat(json.path("upstreamModel").asText()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(json.path("channelId").asLong()).isEqualTo(7);
    assertThat(json.path("stream").asBoolean()).isTrue();
    assertThat(json.path("status").asText()).isEqualTo("success");
    assertThat(json.path("httpStatus").asInt()).isEqualTo(200);
    assertThat(json.path("promptTokens").asInt()).isEqualTo(11);
    assertThat(json.path("completionTokens").asInt()).isEqualTo(3);
    assertThat(json.path("cachedTokens").asInt()).isEqualTo(4);
    assertThat(json.path("tokensEstimated").asBoolean()).isFalse();
    assertThat(json.path("costCents").decimalValue()).isEqualByComparingTo("17.5");
    assertThat(json.path("firstByteMs").asInt()).isEqualTo(120);
    assertThat(json.path("totalMs").asInt()).isEqualTo(400);
    assertThat(json.path("attempts").toString())
        .isEqualTo("[{\"channelId\":3,\"error\":\"timeout\",\"ms\":1000},{\"channelId\":7,\"status\":200,\"ms\":90}]");
    assertThat(json.path("keyId").asLong()).isEqualTo(5);
    assertThat(json.path("userId").asLong()).isEqualTo(9);
    assertThat(json.path("ownKey").asBoolean()).isFalse();
    assertThat(json.path("workflowTag").asText()).isEqualTo("nightly");
    assertThat(json.path("step").asText()).isEqualTo("grade");
    assertThat(json.path("executionId").asText()).isEqualTo("run-7");
    assertThat(json.path("source").asText()).isEqualTo("ci");
    assertThat(json.path("project").asText()).isEqualTo("atlas");
    assertThat(json.has("prompt")).as("no prompt unless log.access_prompts").isFalse();
    assertThat(line).doesNotContain("secret plan");
  }

  @Test
  void withThePromptsOptionALineHoldsThePromptCutToItsLimit() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLog log = new AccessLog(out, false, true, new SimpleMeterRegistry());
    log.ended(WireProtocol.OPENAI, record(1, null, null), () -> "say \"hi\"\nplease");
    log.ended(WireProtocol.OPENAI, record(1, null, null), () -> "x".repeat(AccessLog.PROMPT_CHARS + 5));
    log.ended(WireProtocol.OPENAI, record(1, null, null), () -> null); // a request that was never read
    log.close();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");

    assertThat(JSON.readTree(lines[0]).path("prompt").asText()).isEqualTo("say \"hi\"\nplease");
    assertThat(JSON.readTree(lines[0]).has("promptTruncated")).isFalse();
    assertThat(JSON.readTree(lines[1]).path("prompt").asText()).hasSize(AccessLog.PROMPT_CHARS);
    assertThat(JSON.readTree(lines[1]).path("promptTruncated").asBoolean()).isTrue();
    assertThat(JSON.readTree(lines[2]).has("prompt")).isFalse();
  }

  @Test
  void linesQueuedFromManyThreadsAreAllWrittenWholeByClose() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccessLog log = new AccessLog(out, false, false, registry);
    List<Thread> loops = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      loops.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 2_000; i++) {
          log.ended(WireProtocol.OPENAI, record(1, null, null), () -> null);
        }
      }));
    }
    for (Thread loop : loops) {
      loop.join();
    }
    log.close();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    double dropped = registry.get("tollgate_access_log_dropped").counter().count();
    assertThat(lines.length + (long) dropped).isEqualTo(8_000);
    for (String line : lines) {
      assertThat(JSON.readTree(line).path("requestId").asText()).isEqualTo("req_abc");
    }
  }

  @Test
  void aStuckOutputDropsAndCountsLinesInsteadOfHoldingThem() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) {}

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AccessLog log = new AccessLog(stuck, false, false, registry);
    log.ended(WireProtocol.OPENAI, record(1, null, null), () -> null);
    Thread.sleep(3 * AccessLog.DRAIN_MILLIS); // the writer takes it and blocks in write
    for (int i = 0; i < AccessLog.MAX_PENDING + 10; i++) {
      log.ended(WireProtocol.OPENAI, record(1, null, null), () -> null);
    }
    assertThat(registry.get("tollgate_access_log_dropped").counter().count()).isEqualTo(10);
    release.countDown();
    log.close();
  }

  @Test
  void absentValuesAreLeftOut() throws Exception {
    JsonNode json = JSON.readTree(AccessLog.line(WireProtocol.OPENAI, record(null, "upstream_error", null), null));

    assertThat(json.path("status").asText()).isEqualTo("failed");
    assertThat(json.path("errorCode").asText()).isEqualTo("upstream_error");
    assertThat(json.has("firstByteMs")).isFalse();
    assertThat(json.has("workflowTag")).isFalse();
    assertThat(json.has("project")).isFalse();
  }

  @Test
  void callerTextCannotBreakTheLineOrTheJson() throws Exception {
    String line = AccessLog.line(WireProtocol.OPENAI,
        record(1, null, new Attribution("a\"b", null, null, null, "x\ny")), null);

    assertThat(line).doesNotContain("\n");
    assertThat(JSON.readTree(line).path("project").asText()).isEqualTo("x\ny");
  }

  @Test
  void aConfiguredFileIsCreatedWithItsFoldersAndAppendedTo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("logs/tollgate/access.log");
    TollgateConfig.Log settings = new TollgateConfig.Log(false, file.toString(), false);
    for (int run = 0; run < 2; run++) {
      AccessLog log = AccessLog.open(settings, new SimpleMeterRegistry());
      log.ended(WireProtocol.OPENAI, record(1, null, null), () -> null);
      log.close();
    }

    assertThat(Files.readAllLines(file)).as("the second run appended to the first's line").hasSize(2);
  }
}

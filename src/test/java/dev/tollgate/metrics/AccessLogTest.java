package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRecord.Attempt;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static UsageRecord record(Integer firstByteMs, String errorCode, Attribution attribution) {
    return new UsageRecord("req_abc", Instant.parse("2026-12-06T10:00:00Z"), 5, "gpt-4.1", "gpt-4.1-2025-04-14", 7L,
        true, 11, 3, false, firstByteMs, 400, errorCode == null ? 200 : 502, errorCode,
        List.of(new Attempt(3, null, "timeout", 1_000), new Attempt(7, 200, null, 90)), 9, 4, 17_500_000, 0,
        new UsageRecord.Prices(1, 2, null, "1"), false, attribution);
  }

  @Test
  void aRequestIsOneJsonLineOnTheAccessLogger() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      new AccessLog().ended(WireProtocol.ANTHROPIC,
          record(120, null, new Attribution("nightly", "grade", "run-7", "ci", "atlas")));

      assertThat(logs.lines()).hasSize(1);
      String line = logs.lines().get(0);
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
    }
  }

  @Test
  void absentValuesAreLeftOut() throws Exception {
    JsonNode json = JSON.readTree(AccessLog.line(WireProtocol.OPENAI, record(null, "upstream_error", null)));

    assertThat(json.path("status").asText()).isEqualTo("failed");
    assertThat(json.path("errorCode").asText()).isEqualTo("upstream_error");
    assertThat(json.has("firstByteMs")).isFalse();
    assertThat(json.has("workflowTag")).isFalse();
    assertThat(json.has("project")).isFalse();
  }

  @Test
  void callerTextCannotBreakTheLineOrTheJson() throws Exception {
    String line = AccessLog.line(WireProtocol.OPENAI,
        record(1, null, new Attribution("a\"b", null, null, null, "x\ny")));

    assertThat(line).doesNotContain("\n");
    assertThat(JSON.readTree(line).path("project").asText()).isEqualTo("x\ny");
  }
}

package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@UsesDatabase
class MeteringTest {

  @TempDir Path dataDir;

  @Test
  void nonStreamedAnswerWithoutUsageIsEstimatedFromItsText() {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream(); TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.addChannel(upstream.baseUrl(), List.of("mock-nousage", "mock-text"), Map.of());
      String key = gateway.createKey();

      HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, chat("mock-nousage", false));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).doesNotContain("\"usage\"");

      UsageRecord record = Records.await(gateway, response.headers().firstValue("x-request-id").orElseThrow());
      assertThat(record.tokensEstimated()).isTrue();
      assertThat(record.completionTokens()).isEqualTo(3); // "Hello there!" in o200k_base
      assertThat(record.promptTokens()).isPositive();
    }
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anthropic in, Anthropic out — and Gemini in, Gemini out: the client's bytes go upstream with
 * only the model renamed, and the upstream's bytes come back untouched, streams included.
 */
@UsesDatabase
class SameProtocolPassthroughTest {

  @TempDir static Path dataDir;
  static MockAnthropicUpstream anthropic;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;

  @BeforeAll
  static void start() {
    anthropic = new MockAnthropicUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-text", "claude-alias", "claude-cut"),
        Map.of("claude-alias", "claude-text"));
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text"), Map.of());
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    gemini.close();
  }

  private static final String MESSAGES_BODY = "{\"model\":\"%s\",  \"max_tokens\":64,\"stream\":%s,"
      + "\"temperature\":1.0,\"x_future_option\":{\"n\":12345678901234567890},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static HttpResponse<byte[]> messages(String base, String apiKey, String model, boolean stream) {
    return Http.sendBytes(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
        .header("x-api-key", apiKey)
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "interleaved-thinking-2025-05-14")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(MESSAGES_BODY.formatted(model, stream)))
        .build());
  }

  @Test
  void anthropicStreamComesBackByteForByte() {
    byte[] direct = messages(anthropic.baseUrl(), "direct", "claude-text", true).body();

    HttpResponse<byte[]> relayed = messages(gateway.baseUrl(), key, "claude-text", true);

    assertThat(relayed.statusCode()).isEqualTo(200);
    assertThat(new String(relayed.body(), StandardCharsets.UTF_8)).isEqualTo(new String(direct, StandardCharsets.UTF_8));
    UsageRecord record = Records.await(gateway, relayed.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.promptTokens()).as("input + cache read + cache write").isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.tokensEstimated()).isFalse();
  }

  @Test
  void anthropicAnswerComesBackByteForByte() {
    byte[] direct = messages(anthropic.baseUrl(), "direct", "claude-text", false).body();

    HttpResponse<byte[]> relayed = messages(gateway.baseUrl(), key, "claude-text", false);

    assertThat(relayed.body()).isEqualTo(direct);
  }

  @Test
  void anthropicRequestKeepsEveryByteButTheMappedModelAndItsHeaders() {
    messages(gateway.baseUrl(), key, "claude-alias", false);

    String sent = new String(anthropic.last().rawBody(), StandardCharsets.UTF_8);
    assertThat(sent).isEqualTo(MESSAGES_BODY.formatted("claude-text", false));
    assertThat(anthropic.last().headers()).containsEntry("anthropic-beta", "interleaved-thinking-2025-05-14")
        .containsEntry("anthropic-version", "2023-06-01")
        .containsEntry("x-api-key", "sk-upstream-secret");
  }

  @Test
  void anthropicStreamCutEndsWithAnAnthropicErrorEvent() {
    HttpResponse<byte[]> relayed = messages(gateway.baseUrl(), key, "claude-cut", true);

    String text = new String(relayed.body(), StandardCharsets.UTF_8);
    assertThat(text).contains("event: content_block_delta").endsWith("\n\n").doesNotContain("message_stop");
    assertThat(text.substring(text.lastIndexOf("event: "))).startsWith("event: error\ndata: {\"type\":\"error\"");
  }

  private static HttpResponse<byte[]> generate(String base, String action, String apiKey) {
    return Http.sendBytes(HttpRequest.newBuilder(URI.create(base + "/v1beta/models/gemini-text:" + action))
        .header("x-goog-api-key", apiKey)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
            + "\"generationConfig\":{\"temperature\":0.50}}"))
        .build());
  }

  @Test
  void geminiStreamComesBackByteForByte() {
    byte[] direct = generate(gemini.baseUrl(), "streamGenerateContent?alt=sse", "direct").body();

    HttpResponse<byte[]> relayed = generate(gateway.baseUrl(), "streamGenerateContent?alt=sse", key);

    assertThat(relayed.statusCode()).isEqualTo(200);
    assertThat(relayed.body()).isEqualTo(direct);
    assertThat(new String(gemini.last().rawBody(), StandardCharsets.UTF_8)).contains("\"temperature\":0.50");
    UsageRecord record = Records.await(gateway, relayed.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
  }

  @Test
  void geminiAnswerComesBackByteForByte() {
    byte[] direct = generate(gemini.baseUrl(), "generateContent", "direct").body();

    assertThat(generate(gateway.baseUrl(), "generateContent", key).body()).isEqualTo(direct);
  }
}

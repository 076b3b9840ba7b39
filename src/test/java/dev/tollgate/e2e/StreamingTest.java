package dev.tollgate.e2e;

import static dev.tollgate.testing.Http.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Streams as they cross the wire: incremental delivery, endings, cuts and cancellations. */
@Timeout(20)
@UsesDatabase
class StreamingTest {

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static String key;
  static String url;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(),
        List.of("mock-text", "mock-slow", "mock-cut", "mock-stall", "mock-endless", "mock-nousage", "mock-fragmented", "mock-comments"), Map.of());
    key = gateway.createKey();
    url = gateway.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** Opens a stream: {@code modelOrBody} is a model name, or a whole request body. */
  private static HttpResponse<InputStream> open(String modelOrBody) throws Exception {
    String body = modelOrBody.startsWith("{") ? modelOrBody : chat(modelOrBody, true);
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
  }

  private static List<String> dataLines(BufferedReader reader) throws Exception {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("data:")) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static BufferedReader reader(HttpResponse<InputStream> response) {
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  @Test
  void firstChunkReachesTheClientBeforeTheUpstreamSendsItsLast() throws Exception {
    HttpResponse<InputStream> response = open("mock-slow");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    BufferedReader reader = reader(response);

    String first = reader.readLine(); // the upstream is holding its last chunk back until released
    assertThat(first).startsWith("data: ").contains("\"first\"");

    upstream.releaseSlow();
    List<String> rest = dataLines(reader);
    assertThat(rest).anySatisfy(l -> assertThat(l).contains("\" last\""));
    assertThat(rest.get(rest.size() - 1)).isEqualTo("data: [DONE]");
  }

  @Test
  void streamCutMidAnswerEndsWithAnErrorEventAndNoDone() throws Exception {
    HttpResponse<InputStream> response = open("mock-cut");
    List<String> lines = dataLines(reader(response));

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("Hel");
    assertThat(lines.get(1)).contains("lo");
    assertThat(lines.get(2)).startsWith("data: {\"error\":").contains("upstream_error");
    assertThat(lines).noneMatch(l -> l.contains("[DONE]"));

    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.errorCode()).isEqualTo("upstream_error");
    assertThat(record.tokensEstimated()).isTrue();
    assertThat(record.completionTokens()).as("what was generated is billed").isPositive();
    assertThat(record.promptTokens()).isPositive();
  }

  @Test
  void upstreamSilentMidStreamEndsWithATimeoutErrorEvent() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response = open("mock-stall");
    List<String> lines = dataLines(reader(response));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(lines.get(lines.size() - 1)).startsWith("data: {\"error\":").contains("upstream_timeout");
    assertThat(tookMs).isBetween(1_400L, 5_000L);
  }

  @Test
  void upstreamCommentsCountAsLivenessForTheIdleTimeout() throws Exception {
    // 2.3 s without content, longer than the 1.5 s idle timeout, but with a ": ping" every 300 ms.
    List<String> lines = dataLines(reader(open("mock-comments")));

    assertThat(String.join("\n", lines)).doesNotContain("error").contains("\"content\":\"lo\"");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
  }

  @Test
  void clientDisconnectCancelsTheUpstreamCall() throws Exception {
    HttpResponse<InputStream> response = open("mock-endless");
    BufferedReader reader = reader(response);
    for (int i = 0; i < 3; i++) {
      assertThat(reader.readLine()).isNotNull();
    }
    response.body().close();

    assertThat(upstream.awaitEndlessClosed(3_000)).as("upstream connection closed by the gateway").isTrue();
    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.status()).isEqualTo(499);
    assertThat(record.completionTokens()).as("ticks generated before the client left are billed").isPositive();
  }

  @Test
  void streamWithoutUpstreamUsageIsEstimatedAndMarked() throws Exception {
    HttpResponse<InputStream> response = open("mock-nousage");
    List<String> lines = dataLines(reader(response));
    assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");

    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.tokensEstimated()).isTrue();
    assertThat(record.completionTokens()).isEqualTo(3); // "Hello", " there", "!" in o200k_base
    assertThat(record.promptTokens()).isPositive();
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.firstByteMs()).isNotNull();
  }

  @Test
  void streamWithUpstreamUsageIsRecordedExactly() throws Exception {
    HttpResponse<InputStream> response = open("mock-text");
    List<String> lines = dataLines(reader(response));
    assertThat(lines).noneMatch(l -> l.contains("\"choices\":[]"));

    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.tokensEstimated()).isFalse();
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.completionTokens()).isEqualTo(3);
    assertThat(record.stream()).isTrue();
  }

  @Test
  void fragmentedStreamIsRelayedByteForByteWhenTheClientAskedForUsage() throws Exception {
    String body = "{\"model\":\"mock-fragmented\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<InputStream> response = open(body);

    String relayed = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(relayed).isEqualTo(MockOpenAiUpstream.FRAGMENTED_STREAM);
  }

  @Test
  void fragmentedStreamLosesOnlyTheUsageChunkWhenTheClientDidNotAsk() throws Exception {
    HttpResponse<InputStream> response = open("mock-fragmented");

    String relayed = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    String expected = MockOpenAiUpstream.FRAGMENTED_STREAM.replaceAll("data: \\{[^\\r]*\"usage\":\\{[^\\r]*\\r\\n\\r\\n", "");
    assertThat(expected).isNotEqualTo(MockOpenAiUpstream.FRAGMENTED_STREAM);
    assertThat(relayed).isEqualTo(expected);
    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.promptTokens()).isEqualTo(11);
    assertThat(record.tokensEstimated()).isFalse();
  }
}

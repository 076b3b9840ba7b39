package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Member;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/log and its stats, end to end: requests through the relay, read back as their owner and as admin. */
@UsesDatabase
class UsageLogApiTest {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String ADMIN = TestGateway.ADMIN_TOKEN;

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;
  static long channelId;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    channelId = gateway.addChannel(new ChannelSpec("logs", "openai", upstream.baseUrl(), List.of("sk-upstream"),
        List.of("priced-log", "other-log", "mock-500", "mock-endless"), null, 0, 1, null, null, null, null));
    api = gateway.api();
    api.call("PUT", "/api/model/priced-log", "{\"inputPrice\":1000000,\"outputPrice\":2000000}", ADMIN);
    api.call("PUT", "/api/model/other-log", "{\"inputPrice\":1,\"outputPrice\":1}", ADMIN);
    api.call("PUT", "/api/model/mock-endless", "{\"inputPrice\":1,\"outputPrice\":1}", ADMIN);
    api.call("PUT", "/api/model/mock-500", "{\"inputPrice\":1,\"outputPrice\":1}", ADMIN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** A fresh account with quota, its session and one key. */
  private static Member account() {
    String name = "logger" + NAMES.incrementAndGet();
    return api.member(name, 100_000, "key-of-" + name, ADMIN);
  }

  private static String send(Member account, String model, boolean stream, Map<String, String> headers) {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", account.key(),
        Http.chat(model, stream), headers);
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    Records.await(gateway, id);
    return id;
  }

  private static JsonNode log(Member account, String query) {
    Reply reply = api.call("GET", "/api/log" + query, null, account.session());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body();
  }

  @Test
  void anEntryHoldsTheRecordAndItsAttributionWhichNeverReachesTheUpstream() {
    Member account = account();
    Map<String, String> attribution = Map.of("x-workflow-tag", "nightly-eval", "x-step", "grade",
        "x-execution-id", "run-7", "x-source", "ci", "x-project", "atlas");
    int before = upstream.received().size();
    String id = send(account, "priced-log", false, attribution);

    MockOpenAiUpstream.Received received = upstream.received().get(before);
    assertThat(received.headers().keySet()).as("attribution is the gateway's own")
        .doesNotContain("x-workflow-tag", "x-step", "x-execution-id", "x-source", "x-project");

    JsonNode entry = log(account, "").path("data").get(0);
    assertThat(entry.path("requestId").asText()).isEqualTo(id);
    assertThat(entry.path("keyId").asLong()).isEqualTo(account.keyId());
    assertThat(entry.path("keyName").asText()).isEqualTo("key-of-logger" + NAMES.get());
    assertThat(entry.path("model").asText()).isEqualTo("priced-log");
    assertThat(entry.path("upstreamModel").asText()).isEqualTo("priced-log");
    assertThat(entry.path("promptTokens").asInt()).isEqualTo(11); // the mock's usage
    assertThat(entry.path("completionTokens").asInt()).isEqualTo(3);
    assertThat(entry.path("cost").decimalValue()).isEqualByComparingTo("17"); // 11 × 1 + 3 × 2 cents
    assertThat(entry.path("status").asText()).isEqualTo("success");
    assertThat(entry.path("httpStatus").asInt()).isEqualTo(200);
    assertThat(entry.path("stream").asBoolean()).isFalse();
    assertThat(entry.path("totalMs").asInt()).isGreaterThanOrEqualTo(entry.path("firstByteMs").asInt());
    assertThat(entry.path("workflowTag").asText()).isEqualTo("nightly-eval");
    assertThat(entry.path("step").asText()).isEqualTo("grade");
    assertThat(entry.path("executionId").asText()).isEqualTo("run-7");
    assertThat(entry.path("source").asText()).isEqualTo("ci");
    assertThat(entry.path("project").asText()).isEqualTo("atlas");
    assertThat(entry.has("channelId")).as("users do not see channels").isFalse();

    JsonNode asAdmin = api.call("GET", "/api/log?user=" + account.id(), null, ADMIN).body().path("data").get(0);
    assertThat(asAdmin.path("channelId").asLong()).isEqualTo(channelId);
    assertThat(asAdmin.path("userId").asLong()).isEqualTo(account.id());
  }

  @Test
  void badAttributionHeadersAreRefusedInTheCallersProtocol() {
    Member account = account();
    HttpResponse<String> tooLong = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", account.key(),
        Http.chat("priced-log", false), Map.of("x-project", "p".repeat(129)));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("\"error\"").contains("x-project").contains("at most 128");

    HttpResponse<String> anthropic = Http.postJson(gateway.baseUrl() + "/v1/messages", account.key(),
        "{\"model\":\"priced-log\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        Map.of("x-workflow-tag", "tab\there"));
    assertThat(anthropic.statusCode()).isEqualTo(400);
    assertThat(anthropic.body()).contains("\"type\":\"error\"").contains("invalid_request_error").contains("x-workflow-tag");
  }

  @Test
  void streamErrorAndDisconnectAreLoggedWithTheirOutcome() throws Exception {
    Member account = account();
    String streamed = send(account, "priced-log", true, Map.of());
    String failed = send(account, "mock-500", false, Map.of());
    HttpResponse<InputStream> response =
        Http.leaveStreamAfter(gateway.baseUrl() + "/v1/chat/completions", account.key(), "mock-endless", 6);
    String cancelled = response.headers().firstValue("x-request-id").orElseThrow();
    Records.await(gateway, cancelled);

    Map<String, JsonNode> byId = new HashMap<>();
    log(account, "").path("data").forEach(e -> byId.put(e.path("requestId").asText(), e));
    assertThat(byId.get(streamed).path("stream").asBoolean()).isTrue();
    assertThat(byId.get(streamed).path("status").asText()).isEqualTo("success");
    assertThat(byId.get(streamed).path("completionTokens").asInt()).isEqualTo(3);
    assertThat(byId.get(failed).path("status").asText()).isEqualTo("failed");
    assertThat(byId.get(failed).path("errorCode").asText()).isEqualTo("upstream_error");
    assertThat(byId.get(failed).path("cost").decimalValue()).isEqualByComparingTo("0");
    assertThat(byId.get(cancelled).path("status").asText()).isEqualTo("cancelled");
    assertThat(byId.get(cancelled).path("httpStatus").asInt()).isEqualTo(499);
    assertThat(byId.get(cancelled).path("completionTokens").asInt()).isPositive();

    assertThat(log(account, "?status=failed").path("data")).extracting(e -> e.path("requestId").asText()).containsExactly(failed);
    assertThat(log(account, "?status=cancelled").path("data")).extracting(e -> e.path("requestId").asText()).containsExactly(cancelled);
    assertThat(api.call("GET", "/api/log?status=lost", null, account.session()).error()).contains("'status'");
  }

  @Test
  void pagesFollowTheCursorNewestFirstAndFiltersCombine() {
    Member account = account();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(send(account, i % 2 == 0 ? "priced-log" : "other-log", false,
          Map.of("x-workflow-tag", "wf-" + (i % 2), "x-project", i < 3 ? "alpha" : "beta")));
    }
    List<String> newestFirst = new ArrayList<>(ids.reversed());

    List<String> paged = new ArrayList<>();
    String cursor = "";
    int pages = 0;
    do {
      JsonNode page = log(account, "?pageSize=2" + (cursor.isEmpty() ? "" : "&before=" + cursor));
      page.path("data").forEach(e -> paged.add(e.path("requestId").asText()));
      cursor = page.path("next").isNull() ? "" : page.path("next").asText();
      pages++;
    } while (!cursor.isEmpty() && pages < 10);
    assertThat(paged).isEqualTo(newestFirst);
    assertThat(pages).isEqualTo(3);

    assertThat(ids(log(account, "?model=other-log"))).containsExactly(ids.get(3), ids.get(1));
    assertThat(ids(log(account, "?workflow=wf-0&project=alpha"))).containsExactly(ids.get(2), ids.get(0));
    assertThat(ids(log(account, "?project=beta"))).containsExactly(ids.get(4), ids.get(3));
    assertThat(ids(log(account, "?key=" + account.keyId() + "&status=success"))).hasSize(5);
    assertThat(ids(log(account, "?from=2000-01-01&to=2000-01-02"))).isEmpty();
    assertThat(ids(log(account, "?from=2000-01-01"))).hasSize(5);
    assertThat(api.call("GET", "/api/log?from=yesterday", null, account.session()).error()).contains("'from'");
    assertThat(api.call("GET", "/api/log?pageSize=1000", null, account.session()).status()).isEqualTo(400);
  }

  @Test
  void aUserSeesOnlyTheirOwnLogsAndStats() {
    Member alice = account();
    Member bob = account();
    String aliceRequest = send(alice, "priced-log", false, Map.of());
    send(bob, "other-log", false, Map.of());

    assertThat(ids(log(bob, ""))).doesNotContain(aliceRequest).hasSize(1);
    assertThat(api.call("GET", "/api/log?user=" + alice.id(), null, bob.session()).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/log/stats?user=" + alice.id(), null, bob.session()).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/log/stats/attribution?user=" + alice.id(), null, bob.session()).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/log/export?user=" + alice.id(), null, bob.session()).status()).isEqualTo(403);
    assertThat(ids(api.call("GET", "/api/log?user=" + alice.id(), null, ADMIN).body())).containsExactly(aliceRequest);
    assertThat(api.call("GET", "/api/log", null, null).status()).isEqualTo(401);

    JsonNode stats = api.call("GET", "/api/log/stats", null, bob.session()).body();
    assertThat(stats.path("totalRequests").asLong()).isEqualTo(1);
    assertThat(stats.path("modelBreakdown")).extracting(m -> m.path("model").asText()).containsExactly("other-log");
  }

  @Test
  void statsAndAttributionSumTheAccountsRequests() {
    Member account = account();
    send(account, "priced-log", false, Map.of("x-workflow-tag", "etl", "x-step", "load", "x-execution-id", "e1"));
    send(account, "priced-log", true, Map.of("x-workflow-tag", "etl", "x-step", "load", "x-execution-id", "e1"));
    send(account, "priced-log", false, Map.of("x-workflow-tag", "etl", "x-step", "check", "x-project", "p1"));
    send(account, "mock-500", false, Map.of("x-project", "p1"));

    JsonNode stats = api.call("GET", "/api/log/stats?period=24h", null, account.session()).body();
    assertThat(stats.path("period").asText()).isEqualTo("24h");
    assertThat(stats.path("totalRequests").asLong()).isEqualTo(4);
    assertThat(stats.path("promptTokens").asLong()).isEqualTo(33);
    assertThat(stats.path("completionTokens").asLong()).isEqualTo(9);
    assertThat(stats.path("totalCost").decimalValue()).isEqualByComparingTo("51");
    assertThat(stats.path("successRate").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(stats.path("p50LatencyMs").isInt()).isTrue();
    assertThat(stats.path("dailyBreakdown")).hasSize(24);
    JsonNode lastHour = stats.path("dailyBreakdown").get(23);
    assertThat(lastHour.path("date").asText()).endsWith(":00:00Z");
    assertThat(lastHour.path("requestCount").asLong()).isEqualTo(4);
    assertThat(stats.path("modelBreakdown").get(0).path("model").asText()).isEqualTo("priced-log");
    assertThat(stats.path("modelBreakdown").get(0).path("requestCount").asLong()).isEqualTo(3);

    JsonNode week = api.call("GET", "/api/log/stats?period=7d", null, account.session()).body();
    assertThat(week.path("dailyBreakdown")).hasSize(7);
    assertThat(week.path("dailyBreakdown").get(6).path("date").asText()).hasSize(10); // 2026-12-06
    assertThat(api.call("GET", "/api/log/stats?period=1y", null, account.session()).error()).contains("24h, 7d or 30d");

    JsonNode attribution = api.call("GET", "/api/log/stats/attribution?period=24h", null, account.session()).body();
    JsonNode etl = find(attribution.path("workflows"), "workflowTag", "etl");
    assertThat(etl.path("requests").asLong()).isEqualTo(3);
    assertThat(etl.path("cost").decimalValue()).isEqualByComparingTo("51");
    assertThat(find(etl.path("steps"), "step", "load").path("requests").asLong()).isEqualTo(2);
    assertThat(find(etl.path("steps"), "step", "check").path("requests").asLong()).isEqualTo(1);
    assertThat(find(attribution.path("workflows"), "workflowTag", null).path("requests").asLong()).isEqualTo(1);
    assertThat(attribution.path("executions")).hasSize(1);
    assertThat(attribution.path("executions").get(0).path("executionId").asText()).isEqualTo("e1");
    assertThat(attribution.path("executions").get(0).path("cost").decimalValue()).isEqualByComparingTo("34");
    assertThat(find(attribution.path("projects"), "project", "p1").path("requests").asLong()).isEqualTo(2);
  }

  @Test
  void theCsvExportStreamsTheRangeWithQuotedCells() {
    Member account = account();
    send(account, "priced-log", false, Map.of("x-workflow-tag", "a,\"b\"", "x-project", "=cmd"));
    send(account, "other-log", false, Map.of());

    HttpResponse<String> csv = Http.get(gateway.baseUrl() + "/api/log/export?from=2000-01-01", account.session());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("id,time,request_id,key_id,key_name,model").doesNotContain("channel_id");
    assertThat(lines[1]).contains(",other-log,");
    assertThat(lines[2]).contains(",priced-log,").contains(",\"a,\"\"b\"\"\",").endsWith(",'=cmd,,,"); // then the three unit columns, empty for tokens
    assertThat(Http.get(gateway.baseUrl() + "/api/log/export", ADMIN).body().split("\r\n")[0]).contains("channel_id");
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("data").forEach(e -> ids.add(e.path("requestId").asText()));
    return ids;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (value == null ? node.path(field).isNull() : node.path(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + " " + value + " in " + array);
  }
}

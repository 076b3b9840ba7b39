package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Member;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets through /api/budget and the relay: a spent budget refuses its workflow's or project's requests (402). */
@UsesDatabase
class BudgetTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String ADMIN = TestGateway.ADMIN_TOKEN;
  private static final String ANTHROPIC_BODY =
      "{\"model\":\"budget-17\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(new ChannelSpec("budgets", "openai", upstream.baseUrl(), List.of("sk-upstream"),
        List.of("budget-17"), null, 0, 1, null, null, null, null));
    api = gateway.api();
    // The mock's usage is 11 prompt and 3 completion tokens: 11 × 1 + 3 × 2 = 17 cents a request.
    api.call("PUT", "/api/model/budget-17", "{\"inputPrice\":1000000,\"outputPrice\":2000000}", ADMIN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  private static Member account() {
    return api.member("budgeter" + NAMES.incrementAndGet(), 100_000, "k", ADMIN);
  }

  private static HttpResponse<String> chat(Member account, Map<String, String> headers) {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", account.key(),
        Http.chat("budget-17", false), headers);
    Records.await(gateway, response.headers().firstValue("x-request-id").orElseThrow());
    return response;
  }

  private static JsonNode create(Member account, String body) {
    Reply reply = api.call("POST", "/api/budget", body, account.session());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
    return reply.body();
  }

  @Test
  void aSpentWorkflowBudgetRefusesItsRequestsInEveryProtocolUntilRaised() throws Exception {
    Member account = account();
    JsonNode budget = create(account, "{\"dimension\":\"workflow\",\"name\":\"nightly\",\"period\":\"day\",\"limit\":30}");
    assertThat(budget.path("spent").decimalValue()).isEqualByComparingTo("0");
    assertThat(budget.path("limit").decimalValue()).isEqualByComparingTo("30");
    assertThat(budget.path("renewsAt").asText()).endsWith("T00:00:00Z");
    Map<String, String> nightly = Map.of("x-workflow-tag", "nightly");

    assertThat(chat(account, nightly).statusCode()).isEqualTo(200);
    assertThat(chat(account, nightly).statusCode()).as("17 of 30 cents spent: still room").isEqualTo(200);
    int upstreamCalls = upstream.receivedCount();

    HttpResponse<String> refused = chat(account, Map.of("x-workflow-tag", "nightly", "x-step", "grade"));
    assertThat(refused.statusCode()).isEqualTo(402);
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("budget for workflow 'nightly' (30 cents per day) is spent")
        .contains("34 cents this day");
    HttpResponse<String> anthropic = Http.postJson(gateway.baseUrl() + "/v1/messages", account.key(), ANTHROPIC_BODY, nightly);
    assertThat(anthropic.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("billing_error");
    assertThat(JSON.readTree(anthropic.body()).path("error").path("message").asText()).contains("workflow 'nightly'");
    HttpResponse<String> gemini = Http.postJson(gateway.baseUrl() + "/v1beta/models/budget-17:generateContent",
        account.key(), GEMINI_BODY, nightly);
    assertThat(gemini.statusCode()).as("Gemini tells quota as 429 RESOURCE_EXHAUSTED").isEqualTo(429);
    assertThat(JSON.readTree(gemini.body()).path("error").path("message").asText()).contains("workflow 'nightly'");
    assertThat(upstream.receivedCount()).as("refused before any upstream call").isEqualTo(upstreamCalls);
    assertThat(Records.await(gateway, refused.headers().firstValue("x-request-id").orElseThrow()).cost()).isZero();

    assertThat(chat(account, Map.of()).statusCode()).as("untagged requests are not in the budget").isEqualTo(200);
    assertThat(chat(account, Map.of("x-workflow-tag", "daytime")).statusCode()).isEqualTo(200);

    JsonNode listed = api.call("GET", "/api/budget", null, account.session()).body().path("data").get(0);
    assertThat(listed.path("spent").decimalValue()).isEqualByComparingTo("34");
    assertThat(listed.path("remaining").decimalValue()).isEqualByComparingTo("0");

    long id = budget.path("id").asLong();
    Reply raised = api.call("PUT", "/api/budget/" + id, "{\"limit\":\"100.5\"}", account.session());
    assertThat(raised.status()).as(raised.raw().body()).isEqualTo(200);
    assertThat(raised.body().path("remaining").decimalValue()).isEqualByComparingTo("66.5");
    assertThat(chat(account, nightly).statusCode()).isEqualTo(200);

    assertThat(api.call("DELETE", "/api/budget/" + id, null, account.session()).status()).isEqualTo(204);
    assertThat(api.call("GET", "/api/budget", null, account.session()).body().path("data")).isEmpty();
  }

  @Test
  void aProjectBudgetSetByAnAdminHoldsThatAccountOnly() {
    Member capped = account();
    Member other = account();
    Reply set = api.call("POST", "/api/budget",
        "{\"dimension\":\"project\",\"name\":\"atlas\",\"period\":\"month\",\"limit\":10,\"userId\":" + capped.id() + "}", ADMIN);
    assertThat(set.status()).as(set.raw().body()).isEqualTo(201);
    Map<String, String> atlas = Map.of("x-project", "atlas", "x-workflow-tag", "anything");

    assertThat(chat(capped, atlas).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat(capped, atlas);
    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(refused.body()).contains("project 'atlas' (10 cents per month)");
    assertThat(chat(other, atlas).statusCode()).as("another account's project of that name").isEqualTo(200);

    long id = set.body().path("id").asLong();
    assertThat(api.call("GET", "/api/budget/" + id, null, other.session()).status()).isEqualTo(404);
    assertThat(api.call("PUT", "/api/budget/" + id, "{\"limit\":1000}", other.session()).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/api/budget/" + id, null, other.session()).status()).isEqualTo(404);
    assertThat(api.call("GET", "/api/budget?user=" + capped.id(), null, other.session()).status()).isEqualTo(403);
    assertThat(api.call("GET", "/api/budget", null, other.session()).body().path("data")).isEmpty();
    assertThat(api.call("GET", "/api/budget?user=" + capped.id(), null, ADMIN).body().path("data")).hasSize(1);
    assertThat(api.call("GET", "/api/budget/" + id, null, capped.session()).body().path("name").asText()).isEqualTo("atlas");
    assertThat(api.call("POST", "/api/budget",
        "{\"dimension\":\"project\",\"name\":\"x\",\"period\":\"day\",\"limit\":1,\"userId\":" + capped.id() + "}",
        other.session()).status()).isEqualTo(403);
  }

  @Test
  void badBudgetsAreRefusedWithTheReason() {
    Member account = account();
    String session = account.session();
    create(account, "{\"dimension\":\"project\",\"name\":\"p\",\"period\":\"day\",\"limit\":5}");
    Map<String, String> bad = Map.of(
        "{\"dimension\":\"team\",\"name\":\"p\",\"period\":\"day\",\"limit\":5}", "workflow or project",
        "{\"dimension\":\"project\",\"name\":\"p\",\"period\":\"week\",\"limit\":5}", "day or month",
        "{\"dimension\":\"project\",\"name\":\"" + "n".repeat(129) + "\",\"period\":\"day\",\"limit\":5}", "at most 128",
        "{\"dimension\":\"project\",\"name\":\"tab\\there\",\"period\":\"day\",\"limit\":5}", "printable ASCII",
        "{\"dimension\":\"project\",\"period\":\"day\",\"limit\":5}", "'name'",
        "{\"dimension\":\"project\",\"name\":\"q\",\"period\":\"day\",\"limit\":-1}", "negative",
        "{\"dimension\":\"project\",\"name\":\"q\",\"period\":\"day\",\"limit\":\"0.0000001\"}", "decimal places",
        "{\"dimension\":\"project\",\"name\":\"q\",\"period\":\"day\"}", "'limit'",
        "{\"dimension\":\"project\",\"name\":\"q\",\"period\":\"day\",\"limit\":5,\"color\":\"red\"}", "color");
    bad.forEach((body, reason) -> {
      Reply reply = api.call("POST", "/api/budget", body, session);
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.error()).as(body).contains(reason);
    });
    Reply duplicate = api.call("POST", "/api/budget", "{\"dimension\":\"project\",\"name\":\"p\",\"period\":\"day\",\"limit\":9}",
        session);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(api.call("GET", "/api/budget/abc", null, session).status()).isEqualTo(400);
    assertThat(api.call("GET", "/api/budget", null, null).status()).isEqualTo(401);
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.account.User;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quota flow through the relay: price → reserve → call → charge the actual usage → release the
 * rest; refusals before any upstream call; failures free; the database agreeing with the charges.
 */
@UsesDatabase
class BillingFlowTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();
  /** 100 µ¢ per input token, 10 per cached one, 200 per output token. */
  private static final ModelPrice PRICE = new ModelPrice("mock-text", 100_000_000L, 200_000_000L, 10_000_000L, null, null, null);
  /** The mock's usage: 11 prompt tokens (4 of them cached), 3 completion tokens. */
  private static final long MOCK_TEXT_COST = 7 * 100 + 4 * 10 + 3 * 200;

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;
  static UsageRepository usage;

  @BeforeAll
  static void start() {
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, c -> c.withBilling(c.billing().withFreeModels(List.of("mock-nousage"))));
    api = gateway.api();
    api.call("POST", "/api/group", "{\"name\":\"thrifty\",\"priceRatio\":\"0.5\"}", TestGateway.ADMIN_TOKEN);
    gateway.addChannel(new ChannelSpec("mock", "openai", upstream.baseUrl(), List.of("sk-upstream"),
        List.of("mock-text", "mock-500", "mock-endless", "mock-nousage", "mock-unpriced", "mock-400", "pricey"),
        Map.of("pricey", "mock-text"), 0, 1, null, null, null, List.of("default", "thrifty")));
    usage = new UsageRepository(gateway.app().stores().sql());
    for (String model : List.of("mock-text", "mock-500", "mock-endless", "mock-400")) {
      assertThat(api.call("PUT", "/api/model/" + model, "{\"inputPrice\":100,\"outputPrice\":200,\"cachedInputPrice\":10}",
          TestGateway.ADMIN_TOKEN).status()).isIn(200, 201);
    }
    // A thousand times dearer: the mock's answer costs 1.34 cents.
    api.call("PUT", "/api/model/pricey", "{\"inputPrice\":100000,\"outputPrice\":200000,\"cachedInputPrice\":10000}",
        TestGateway.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** A user with {@code quotaCents}, in {@code group}, and a key of theirs (limited to {@code keyQuotaCents} when not null). */
  private static Account account(long quotaCents, Long keyQuotaCents, String group) {
    String name = "payer" + NAMES.incrementAndGet();
    JsonNode user = api.call("POST", "/api/user", ManagementClient.json("username", name, "password", "payer-password")
        .replace("}", ",\"quota\":" + quotaCents + (group == null ? "" : ",\"group\":\"" + group + "\"") + "}"),
        TestGateway.ADMIN_TOKEN).body();
    long id = user.path("id").asLong();
    String key = gateway.app().stores().keyService().create(id, "k", keyQuotaCents, null, null).key();
    return new Account(id, key);
  }

  private record Account(long userId, String key) {}

  private static HttpResponse<String> chat(String key, String model) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, Http.chat(model, false));
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  private static User stored(long userId) {
    return gateway.app().stores().users().findById(userId).orElseThrow();
  }

  private static long keyUsed(String key) {
    return gateway.app().stores().keys().findByHash(dev.tollgate.account.KeySecrets.hash(key)).orElseThrow().usedQuota();
  }

  private static void eventually(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within 5 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aRequestIsChargedItsUsageAtThePriceAndTheDatabaseFollows() {
    Account account = account(100, null, null);

    HttpResponse<String> response = chat(account.key(), "mock-text");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-tollgate-quota-remaining")).as("100 cents less the reservation").get()
        .satisfies(left -> assertThat(new BigDecimal(left)).isLessThan(BigDecimal.valueOf(100)).isPositive());
    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.cost()).isEqualTo(MOCK_TEXT_COST);
    assertThat(record.cachedTokens()).isEqualTo(4);
    assertThat(record.userId()).isEqualTo(account.userId());
    assertThat(record.prices()).isEqualTo(new UsageRecord.Prices(100_000_000L, 200_000_000L, 10_000_000L, "1"));
    eventually(() -> stored(account.userId()).usedQuota() == MOCK_TEXT_COST);
    assertThat(keyUsed(account.key())).isEqualTo(MOCK_TEXT_COST);
    assertThat(stored(account.userId()).requestCount()).isEqualTo(1);
    assertThat(gateway.app().ledger().spentByAccount(account.userId())).isEqualTo(MOCK_TEXT_COST);
  }

  @Test
  void theGroupRatioScalesTheCharge() {
    Account account = account(100, null, "thrifty");

    UsageRecord record = Records.await(gateway, requestId(chat(account.key(), "mock-text")));

    assertThat(record.cost()).isEqualTo(MOCK_TEXT_COST / 2);
    assertThat(record.prices().ratio()).isEqualTo("0.5");
  }

  @Test
  void aStreamIsChargedWhenItEnds() throws Exception {
    Account account = account(100, null, null);
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", account.key(),
        Http.chat("mock-text", true));
    assertThat(response.body()).contains("[DONE]");

    assertThat(Records.await(gateway, requestId(response)).cost()).isEqualTo(MOCK_TEXT_COST);
  }

  @Test
  void aModelWithoutAPriceIsRefusedInTheCallersProtocolBeforeAnyUpstreamCall() {
    Account account = account(100, null, null);
    int before = upstream.receivedCount();

    HttpResponse<String> openAi = chat(account.key(), "mock-unpriced");
    HttpResponse<String> anthropic = Http.postJson(gateway.baseUrl() + "/v1/messages", account.key(),
        "{\"model\":\"mock-unpriced\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(openAi.statusCode()).isEqualTo(403);
    assertThat(openAi.body()).contains("has no price");
    assertThat(anthropic.statusCode()).isEqualTo(403);
    assertThat(anthropic.body()).contains("\"type\":\"error\"").contains("permission_error").contains("has no price");
    assertThat(upstream.receivedCount()).isEqualTo(before);
    assertThat(chat(account.key(), "mock-nousage").statusCode()).as("configured free").isEqualTo(200);
  }

  @Test
  void notEnoughQuotaIs402SayingWhatIsLeftWithoutCallingUpstream() throws Exception {
    Account broke = account(0, null, null);
    Account keyLimited = account(100, 0L, null);
    int before = upstream.receivedCount();

    HttpResponse<String> account = chat(broke.key(), "mock-text");
    HttpResponse<String> key = chat(keyLimited.key(), "mock-text");

    assertThat(account.statusCode()).isEqualTo(402);
    JsonNode error = JSON.readTree(account.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("account's quota").contains("0 cents left");
    assertThat(key.statusCode()).isEqualTo(402);
    assertThat(key.body()).contains("API key's quota");
    HttpResponse<String> anthropic = Http.postJson(gateway.baseUrl() + "/v1/messages", broke.key(),
        "{\"model\":\"mock-text\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(anthropic.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("billing_error");
    HttpResponse<String> gemini = Http.postJson(gateway.baseUrl() + "/v1beta/models/mock-text:generateContent", broke.key(),
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
    assertThat(gemini.statusCode()).as("Gemini tells quota as 429 RESOURCE_EXHAUSTED").isEqualTo(429);
    assertThat(JSON.readTree(gemini.body()).path("error").path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(JSON.readTree(gemini.body()).path("error").path("message").asText()).contains("0 cents left");
    assertThat(upstream.receivedCount()).isEqualTo(before);
    assertThat(Records.await(gateway, requestId(account)).cost()).isZero();
  }

  @Test
  void anUpstreamFailureIsFreeAndReleasesItsReservation() {
    Account account = account(100, null, null);

    HttpResponse<String> response = chat(account.key(), "mock-500");

    assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.cost()).isZero();
    assertThat(gateway.app().ledger().spentByAccount(account.userId())).isZero();
    assertThat(chat(account.key(), "mock-400").statusCode()).isEqualTo(400);
    eventually(() -> gateway.app().ledger().reservedInFlight() == 0);
    assertThat(stored(account.userId()).usedQuota()).isZero();
  }

  @Test
  void aClientLeavingMidStreamPaysForWhatWasGenerated() throws Exception {
    Account account = account(100, null, null);
    HttpResponse<InputStream> response =
        Http.leaveStreamAfter(gateway.baseUrl() + "/v1/chat/completions", account.key(), "mock-endless", 6);

    UsageRecord record = Records.await(gateway, requestId(response));
    assertThat(record.status()).isEqualTo(499);
    assertThat(record.completionTokens()).isPositive();
    assertThat(record.cost()).isPositive()
        .isEqualTo(Charge.of(PRICE, record.promptTokens(), record.cachedTokens(), record.completionTokens(), BigDecimal.ONE));
    eventually(() -> gateway.app().ledger().reservedInFlight() == 0);
  }

  @Test
  void twoHundredConcurrentRequestsNeverSpendBeyondTheKeysQuota() throws Exception {
    // A request costs 1.34 cents: the key's 67 cents pay for fifty.
    Account account = account(1_000, 67L, null);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    String body = "{\"model\":\"pricey\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    for (int i = 0; i < 200; i++) {
      calls.add(Http.client().sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + account.key())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    int served = 0;
    int refused = 0;
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get();
      ids.add(requestId(response));
      if (response.statusCode() == 200) {
        served++;
      } else {
        assertThat(response.statusCode()).isEqualTo(402);
        refused++;
      }
    }

    long charged = 0;
    long shortfall = 0;
    for (String id : ids) {
      UsageRecord record = Records.await(gateway, id);
      charged += record.cost();
      shortfall += record.chargeShortfall();
    }
    assertThat(served).isPositive();
    assertThat(refused).isPositive();
    assertThat(charged).isLessThanOrEqualTo(67_000_000L);
    assertThat(charged + shortfall).as("every served request's usage is accounted for").isEqualTo(served * MOCK_TEXT_COST * 1000);
    long spent = charged;
    eventually(() -> keyUsed(account.key()) == spent);
    assertThat(stored(account.userId()).usedQuota()).isEqualTo(spent);
  }
}

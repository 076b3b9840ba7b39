package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/token: a user's own API keys, end to end through the relay. */
@UsesDatabase
class TokenApiTest {

  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static ManagementClient api;
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(upstream.baseUrl(), List.of("mock-text", "other-model"), Map.of("other-model", "mock-text"));
    api = gateway.api();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    logs.close();
  }

  private static String user() {
    return api.register("holder" + NAMES.incrementAndGet(), "holder-password");
  }

  private static Reply create(String session, String body) {
    return api.call("POST", "/api/token", body, session);
  }

  private static HttpResponse<String> chat(String key, String model) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, Http.chat(model, false));
  }

  /** Polls the relay until {@code expected} holds for the status, for at most {@code millis}. */
  private static int statusWithin(long millis, String key, IntPredicate expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    int status;
    do {
      status = chat(key, "mock-text").statusCode();
      if (expected.test(status)) {
        return status;
      }
      Thread.sleep(50);
    } while (System.currentTimeMillis() < deadline);
    return status;
  }

  @Test
  void aKeyIsShownInFullOnceAndWorksOnTheRelay() {
    String session = user();
    Reply created = create(session, "{\"name\":\"laptop\",\"quota\":250,\"models\":[\"mock-text\"],"
        + "\"expiresAt\":\"2099-01-01T00:00:00Z\"}");

    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    String key = created.body().path("key").asText();
    JsonNode view = created.body().path("apiKey");
    assertThat(key).startsWith("sk-").startsWith(view.path("keyPrefix").asText());
    assertThat(view.path("name").asText()).isEqualTo("laptop");
    assertThat(view.path("status").asText()).isEqualTo("active");
    assertThat(view.path("quota").asLong()).isEqualTo(250);
    assertThat(view.path("usedQuota").asLong()).isZero();
    assertThat(view.path("models")).extracting(JsonNode::asText).containsExactly("mock-text");
    assertThat(view.path("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(view.path("planId").isNull()).isTrue();
    assertThat(view.path("lastUsedAt").isNull()).isTrue();
    assertThat(view.has("keyHash")).isFalse();

    long id = view.path("id").asLong();
    Reply read = api.call("GET", "/api/token/" + id, null, session);
    assertThat(read.body()).isEqualTo(view);
    assertThat(read.raw().body()).doesNotContain(key);
    assertThat(chat(key, "mock-text").statusCode()).isEqualTo(200);
    assertThat(chat(key, "other-model").statusCode()).as("outside the key's models").isEqualTo(403);
    assertThat(chat(key, "other-model").body()).contains("this API key may not use the model 'other-model'");

    gateway.app().lastUse().flush();
    assertThat(api.call("GET", "/api/token/" + id, null, session).body().path("lastUsedAt").asText())
        .satisfies(at -> assertThat(Instant.parse(at)).isAfter(Instant.now().minusSeconds(60)));
  }

  @Test
  void disablingOrDeletingAKeyStopsItWithinASecond() throws Exception {
    String session = user();
    JsonNode first = create(session, "{\"name\":\"a\"}").body();
    JsonNode second = create(session, "{\"name\":\"b\"}").body();
    String keyA = first.path("key").asText();
    String keyB = second.path("key").asText();
    assertThat(chat(keyA, "mock-text").statusCode()).isEqualTo(200);
    assertThat(chat(keyB, "mock-text").statusCode()).isEqualTo(200);

    Reply disabled = api.call("PUT", "/api/token/" + first.path("apiKey").path("id").asLong(), "{\"status\":\"disabled\"}",
        session);
    assertThat(disabled.body().path("status").asText()).isEqualTo("disabled");
    long start = System.nanoTime();
    assertThat(statusWithin(1_000, keyA, status -> status == 401)).isEqualTo(401);
    assertThat(api.call("DELETE", "/api/token/" + second.path("apiKey").path("id").asLong(), null, session).status())
        .isEqualTo(204);
    assertThat(statusWithin(1_000, keyB, status -> status == 401)).isEqualTo(401);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);

    api.call("PUT", "/api/token/" + first.path("apiKey").path("id").asLong(), "{\"status\":\"active\"}", session);
    assertThat(statusWithin(1_500, keyA, status -> status == 200)).as("enabled again").isEqualTo(200);
    assertThat(api.call("GET", "/api/token/" + second.path("apiKey").path("id").asLong(), null, session).status())
        .as("a deleted key is gone").isEqualTo(404);
  }

  @Test
  void anExpiredKeyIsRefused() {
    String session = user();
    String key = create(session, "{\"name\":\"old\",\"expiresAt\":\"2020-01-01\"}").body().path("key").asText();

    HttpResponse<String> response = chat(key, "mock-text");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("expired");
  }

  @Test
  void aKeyLimitedToAddressesIsRefusedFromAnyOther() throws Exception {
    String session = user();
    JsonNode elsewhere = create(session, "{\"name\":\"office\",\"allowIps\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}").body();
    JsonNode here = create(session, "{\"name\":\"local\",\"allowIps\":[\"127.0.0.0/8\"]}").body();

    HttpResponse<String> refused = chat(elsewhere.path("key").asText(), "mock-text");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("may not be used from 127.0.0.1");
    assertThat(chat(here.path("key").asText(), "mock-text").statusCode()).isEqualTo(200);

    Reply opened = api.call("PUT", "/api/token/" + elsewhere.path("apiKey").path("id").asLong(), "{\"allowIps\":null}",
        session);
    assertThat(opened.body().path("allowIps")).isEmpty();
    assertThat(statusWithin(1_500, elsewhere.path("key").asText(), status -> status == 200)).isEqualTo(200);
    assertThat(create(session, "{\"name\":\"bad\",\"allowIps\":[\"example.com\"]}").error()).contains("'allowIps'");
  }

  @Test
  void aFetchedKeyCanBeEditedAndSentBackAndLeftOutFieldsStay() {
    String session = user();
    JsonNode view = create(session, "{\"name\":\"edit\",\"quota\":10,\"models\":[\"mock-text\"]}").body().path("apiKey");
    long id = view.path("id").asLong();

    ((ObjectNode) view).put("name", "edited").put("usedQuota", 999).put("id", 1);
    Reply sentBack = api.call("PUT", "/api/token/" + id, view.toString(), session);
    assertThat(sentBack.status()).as(sentBack.raw().body()).isEqualTo(200);
    assertThat(sentBack.body().path("name").asText()).isEqualTo("edited");
    assertThat(sentBack.body().path("usedQuota").asLong()).as("read-only").isZero();
    assertThat(sentBack.body().path("id").asLong()).isEqualTo(id);

    Reply partial = api.call("PUT", "/api/token/" + id, "{\"quota\":null}", session);
    assertThat(partial.body().path("quota").isNull()).isTrue();
    assertThat(partial.body().path("models")).extracting(JsonNode::asText).containsExactly("mock-text");
    assertThat(partial.body().path("name").asText()).isEqualTo("edited");
  }

  @Test
  void usersNeverSeeOrTouchEachOthersKeysButAdminsSeeAll() {
    String alice = user();
    String bob = user();
    JsonNode alicesKey = create(alice, "{\"name\":\"alice-key\"}").body().path("apiKey");
    long id = alicesKey.path("id").asLong();

    assertThat(api.call("GET", "/api/token/" + id, null, bob).status()).isEqualTo(404);
    assertThat(api.call("PUT", "/api/token/" + id, "{\"name\":\"mine\"}", bob).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/api/token/" + id, null, bob).status()).isEqualTo(404);
    assertThat(api.call("GET", "/api/token/424242", null, bob).error())
        .as("the same answer as for an id that does not exist").isEqualTo("there is no API key 424242");
    assertThat(api.call("GET", "/api/token?pageSize=100", null, bob).body().path("data").findValuesAsText("name"))
        .doesNotContain("alice-key");
    assertThat(api.call("GET", "/api/token/" + id, null, alice).body().path("name").asText()).isEqualTo("alice-key");

    String admin = TestGateway.ADMIN_TOKEN;
    long aliceId = alicesKey.path("userId").asLong();
    assertThat(api.call("GET", "/api/token/" + id, null, admin).status()).isEqualTo(200);
    assertThat(api.call("GET", "/api/token?userId=" + aliceId, null, admin).body().path("data").findValuesAsText("name"))
        .containsExactly("alice-key");
    Reply forAlice = api.call("POST", "/api/token", "{\"name\":\"from-admin\",\"userId\":" + aliceId + ",\"planId\":3}", admin);
    assertThat(forAlice.status()).as(forAlice.raw().body()).isEqualTo(201);
    assertThat(forAlice.body().path("apiKey").path("userId").asLong()).isEqualTo(aliceId);
    assertThat(forAlice.body().path("apiKey").path("planId").asLong()).isEqualTo(3);
    assertThat(create(bob, "{\"name\":\"x\",\"userId\":" + aliceId + "}").status()).isEqualTo(403);
    assertThat(create(bob, "{\"name\":\"x\",\"planId\":3}").error()).contains("'planId'");
  }

  @Test
  void listsAreNewestFirstWithATotalAndPagesPastTheEndAreEmpty() {
    String session = user();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      names.add("k" + i);
      create(session, "{\"name\":\"k" + i + "\"}");
    }

    JsonNode first = api.call("GET", "/api/token?page=1&pageSize=2", null, session).body();
    assertThat(first.path("total").asLong()).isEqualTo(5);
    assertThat(first.path("data").findValuesAsText("name")).containsExactly("k4", "k3");
    assertThat(api.call("GET", "/api/token?page=3&pageSize=2", null, session).body().path("data")
        .findValuesAsText("name")).containsExactly("k0");
    JsonNode past = api.call("GET", "/api/token?page=9&pageSize=2", null, session).body();
    assertThat(past.path("data")).isEmpty();
    assertThat(past.path("total").asLong()).isEqualTo(5);
    assertThat(api.call("GET", "/api/token?pageSize=101", null, session).error()).contains("'pageSize'");
    assertThat(api.call("GET", "/api/token?page=0", null, session).error()).contains("'page'");
    assertThat(api.call("GET", "/api/token?page=x", null, session).status()).isEqualTo(400);
  }

  @Test
  void badInputIsA400NamingTheFieldAndNoKeyEverReachesALog() {
    String session = user();
    assertThat(create(session, "{}").error()).contains("'name'");
    assertThat(create(session, "{\"name\":\"q\",\"quota\":-1}").error()).contains("'quota'");
    assertThat(create(session, "{\"name\":\"q\",\"quota\":1.5}").error()).contains("'quota'");
    assertThat(create(session, "{\"name\":\"q\",\"models\":\"all\"}").error()).contains("'models'");
    assertThat(create(session, "{\"name\":\"q\",\"expiresAt\":\"soon\"}").error()).contains("'expiresAt'");
    assertThat(create(session, "{\"name\":\"q\",\"colour\":\"red\"}").error()).contains("unknown field 'colour'");
    long id = create(session, "{\"name\":\"ok\"}").body().path("apiKey").path("id").asLong();
    assertThat(api.call("PUT", "/api/token/" + id, "{\"status\":\"deleted\"}", session).error()).contains("'status'");
    assertThat(api.call("GET", "/api/token", null, null).status()).isEqualTo(401);

    String key = create(session, "{\"name\":\"logged\"}").body().path("key").asText();
    chat(key, "mock-text");
    assertThat(logs.lines()).as("the capture works").isNotEmpty();
    assertThat(logs.lines()).noneMatch(line -> line.contains(key));
  }

  @Test
  void theKeyPrefixIsConfigurable() {
    try (TestGateway tsk = TestGateway.start(dataDir.resolve("tsk"), c -> c.withAccounts(
        new dev.tollgate.config.TollgateConfig.Accounts(false, null, null, null, "tsk-", null, TestGateway.ROOT_PASSWORD,
            null, null)))) {
      tsk.addChannel(upstream.baseUrl(), List.of("mock-text"), Map.of());
      ManagementClient other = tsk.api();
      String session = other.register("prefixed", "prefixed-pw");
      JsonNode created = other.call("POST", "/api/token", "{\"name\":\"t\"}", session).body();

      String key = created.path("key").asText();
      assertThat(key).startsWith("tsk-");
      assertThat(created.path("apiKey").path("keyPrefix").asText()).startsWith("tsk-");
      assertThat(Http.postJson(tsk.baseUrl() + "/v1/chat/completions", key, Http.chat("mock-text", false)).statusCode())
          .isEqualTo(200);
    }
  }
}

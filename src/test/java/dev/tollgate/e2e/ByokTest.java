package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.ManagementClient.Reply;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users' own provider keys (BYOK) and routing policies, end to end: which key reaches the mock
 * upstream, what a refused own key does, and the API that stores the keys.
 */
@UsesDatabase
class ByokTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String SHARED_OPENAI = "sk-shared-openai-key-0001";
  private static final String SHARED_ANTHROPIC = "sk-ant-shared-key-0002";

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openai;
  static MockAnthropicUpstream anthropic;
  static MockOpenAiUpstream refusing;
  static TestGateway gateway;
  static ManagementClient api;
  static LogCapture logs;
  static long refusingChannel;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    openai = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    refusing = new MockOpenAiUpstream().inject(MockOpenAiUpstream.Fault.INVALID_KEY, 1.0);
    gateway = TestGateway.start(dataDir, c -> c.withBilling(c.billing().withFreeModels(List.of("claude-text", "refused"))));
    gateway.addChannel(new ChannelSpec("shared-openai", "openai", openai.baseUrl(), List.of(SHARED_OPENAI),
        List.of("mock-text"), null, 0, 1, null, null, null, null));
    gateway.addChannel(new ChannelSpec("shared-anthropic", "anthropic", anthropic.baseUrl(), List.of(SHARED_ANTHROPIC),
        List.of("claude-text"), null, 0, 1, null, null, null, null));
    refusingChannel = gateway.addChannel(new ChannelSpec("refusing", "openai", refusing.baseUrl(), List.of("sk-shared-x-0003"),
        List.of("refused"), Map.of("refused", "mock-text"), 0, 1, null, null, null, null));
    api = gateway.api();
    // mock-text is sold; nobody here has quota: only requests served with their own key (fee ratio 0) are free.
    api.call("PUT", "/api/model/mock-text", "{\"inputPrice\":100,\"outputPrice\":100}", TestGateway.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
    anthropic.close();
    refusing.close();
    logs.close();
  }

  /** A user with a relay key; returns {session, key}. */
  private static String[] user() {
    String session = api.register("byok" + NAMES.incrementAndGet(), "byok-password");
    String key = api.call("POST", "/api/token", "{\"name\":\"relay\"}", session).body().path("key").asText();
    return new String[] {session, key};
  }

  private static Reply addProviderKey(String session, String provider, String secret) {
    return api.call("POST", "/api/user/providers", ManagementClient.json("provider", provider, "key", secret), session);
  }

  private static HttpResponse<String> chat(String key, String model, boolean stream) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, Http.chat(model, stream));
  }

  private static HttpResponse<String> messages(String key, String model) {
    return Http.postJson(gateway.baseUrl() + "/v1/messages", key,
        "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void aUsersOwnKeyServesTheirRequestsAndNeverAnotherUsers() {
    String[] owner = user();
    String[] other = user();
    String own = "sk-own-openai-key-" + NAMES.incrementAndGet() + "abcd";
    assertThat(addProviderKey(owner[0], "openai", own).status()).isEqualTo(201);

    HttpResponse<String> mine = chat(owner[1], "mock-text", false);
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    assertThat(openai.last().authorization()).isEqualTo("Bearer " + own);
    assertThat(chat(owner[1], "mock-text", true).body()).contains("[DONE]");
    assertThat(openai.last().authorization()).as("streams too").isEqualTo("Bearer " + own);

    HttpResponse<String> theirs = chat(other[1], "mock-text", false);
    assertThat(theirs.statusCode()).as("no quota, no own key: billed, refused").isEqualTo(402);
    long otherId = api.call("GET", "/api/user/self", null, other[0]).body().path("id").asLong();
    api.call("PUT", "/api/user/" + otherId, "{\"quotaDelta\":100,\"reason\":\"test\"}", TestGateway.ADMIN_TOKEN);
    long deadline = System.currentTimeMillis() + 2_000; // the relay re-reads the account within a second
    int status;
    do {
      status = chat(other[1], "mock-text", false).statusCode();
    } while (status == 402 && System.currentTimeMillis() < deadline);
    assertThat(status).isEqualTo(200);
    assertThat(openai.last().authorization()).as("the shared channel's key").isEqualTo("Bearer " + SHARED_OPENAI);

    UsageRecord record = Records.await(gateway, mine.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.ownKey()).isTrue();
    assertThat(record.cost()).as("the BYOK fee ratio is 0 by default").isZero();
  }

  @Test
  void anAnthropicKeyOfTheUserServesAnthropicChannels() {
    String[] owner = user();
    String own = "sk-ant-own-key-" + NAMES.incrementAndGet() + "wxyz";
    addProviderKey(owner[0], "anthropic", own);

    assertThat(messages(owner[1], "claude-text").statusCode()).isEqualTo(200);
    assertThat(anthropic.last().authorization()).isEqualTo(own);
    String[] other = user();
    assertThat(messages(other[1], "claude-text").statusCode()).isEqualTo(200);
    assertThat(anthropic.last().authorization()).isEqualTo(SHARED_ANTHROPIC);
  }

  @Test
  void aRefusedOwnKeyIsTheUsersToMendAndTheSharedChannelStaysWell() throws Exception {
    String[] owner = user();
    addProviderKey(owner[0], "openai", "sk-own-but-revoked-" + NAMES.incrementAndGet() + "0000");
    int before = refusing.receivedCount();

    HttpResponse<String> refused = chat(owner[1], "refused", false);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
        .contains("refused your own openai provider key").contains("/api/user/providers");
    assertThat(refusing.receivedCount() - before).as("no fallback to the shared key").isEqualTo(1);
    Channel channel = gateway.app().stores().channels().findById(refusingChannel).orElseThrow();
    assertThat(channel.status()).isEqualTo(ChannelStatus.ENABLED);
    assertThat(gateway.app().channelHealth().snapshot()).doesNotContainKey(refusingChannel);
  }

  @Test
  void aRoutingPolicyBlocksOtherProvidersInEveryProtocol() throws Exception {
    String[] user = user();
    long id = api.call("GET", "/api/user/self", null, user[0]).body().path("id").asLong();
    assertThat(api.call("PUT", "/api/user/" + id, "{\"allowedProviders\":[\"anthropic\"]}", TestGateway.ADMIN_TOKEN)
        .status()).isEqualTo(200);

    Thread.sleep(1_100); // the relay re-reads the owner within a second
    HttpResponse<String> openAiShape = chat(user[1], "mock-text", false);
    HttpResponse<String> anthropicShape = messages(user[1], "mock-text");
    HttpResponse<String> geminiShape = Http.postJson(gateway.baseUrl() + "/v1beta/models/mock-text:generateContent",
        user[1], "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

    assertThat(openAiShape.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(openAiShape.body()).path("error").path("message").asText()).contains("blocked by routing policy");
    assertThat(anthropicShape.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(anthropicShape.body()).path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(geminiShape.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(geminiShape.body()).path("error").path("status").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(messages(user[1], "claude-text").statusCode()).as("an allowed provider").isEqualTo(200);
    JsonNode models = JSON.readTree(Http.get(gateway.baseUrl() + "/v1/models", user[1]).body());
    assertThat(models.path("data").findValuesAsText("id")).as("model lists follow the policy").contains("claude-text")
        .doesNotContain("mock-text");
    assertThat(api.call("PUT", "/api/user/" + id, "{\"allowedProviders\":[\"opneai\"]}", TestGateway.ADMIN_TOKEN).error())
        .contains("'allowedProviders'");
  }

  @Test
  void providerKeysAreStoredEncryptedShownMaskedAndOnlyToTheirOwner() throws Exception {
    String[] alice = user();
    String[] bob = user();
    String secret = "sk-alice-own-secret-" + NAMES.incrementAndGet() + "9876";
    Reply created = addProviderKey(alice[0], "openai", secret);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().path("maskedKey").asText()).isEqualTo("sk-…9876");
    assertThat(created.raw().body()).doesNotContain(secret);
    long id = created.body().path("id").asLong();

    assertThat(api.call("GET", "/api/user/providers", null, alice[0]).body().path("data")).hasSize(1);
    assertThat(api.call("GET", "/api/user/providers", null, alice[0]).raw().body()).doesNotContain(secret);
    assertThat(api.call("GET", "/api/user/providers/" + id, null, bob[0]).status()).isEqualTo(404);
    assertThat(api.call("PUT", "/api/user/providers/" + id, "{\"key\":\"sk-stolen-key-000000\"}", bob[0]).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/api/user/providers/" + id, null, bob[0]).status()).isEqualTo(404);
    assertThat(api.call("GET", "/api/user/providers", null, bob[0]).body().path("data")).isEmpty();
    assertThat(addProviderKey(alice[0], "openai", "sk-second-one-00000000").status()).isEqualTo(409);

    long aliceId = api.call("GET", "/api/user/self", null, alice[0]).body().path("id").asLong();
    assertThat(api.call("GET", "/api/user/" + aliceId + "/providers", null, TestGateway.ADMIN_TOKEN).body().path("data")
        .get(0).path("maskedKey").asText()).isEqualTo("sk-…9876");
    assertThat(api.call("GET", "/api/user/" + aliceId + "/providers", null, bob[0]).status()).isEqualTo(403);
    String stored = gateway.app().stores().sql().one("SELECT secret_enc FROM provider_keys WHERE id = ?",
        row -> row.getString(1), id).orElseThrow();
    assertThat(stored).doesNotContain(secret).doesNotContain("9876");

    Reply changed = api.call("PUT", "/api/user/providers/" + id, "{\"key\":\"sk-alice-rotated-key-5555\"}", alice[0]);
    assertThat(changed.body().path("maskedKey").asText()).isEqualTo("sk-…5555");
    assertThat(api.call("DELETE", "/api/user/providers/" + id, null, alice[0]).status()).isEqualTo(204);
    assertThat(api.call("GET", "/api/user/providers/" + id, null, alice[0]).status()).isEqualTo(404);

    assertThat(logs.lines()).as("the capture works").isNotEmpty();
    assertThat(logs.lines()).noneMatch(line -> line.contains(secret) || line.contains("sk-alice-rotated-key-5555"));
  }

  @Test
  void badProviderKeysAreRefusedNamingTheField() {
    String session = user()[0];
    assertThat(addProviderKey(session, "nosuch", "sk-x-000000000000").error()).contains("'provider'");
    assertThat(api.call("POST", "/api/user/providers", "{\"provider\":\"openai\"}", session).error()).contains("'key'");
    assertThat(api.call("POST", "/api/user/providers", "{\"provider\":\"openai\",\"key\":\"a b\"}", session).error())
        .contains("'key'");
    for (String url : List.of("http://api.example.com/v1", "https://127.0.0.1/v1", "https://10.1.2.3", "https://[::1]/v1",
        "https://169.254.169.254/latest", "ftp://x.example.com", "not a url")) {
      Reply refused = api.call("POST", "/api/user/providers",
          ManagementClient.json("provider", "openai", "key", "sk-x-000000000000", "baseUrl", url), session);
      assertThat(refused.status()).as(url).isEqualTo(400);
      assertThat(refused.error()).as(url).contains("'baseUrl'");
    }
    Reply admins = api.call("POST", "/api/user/providers",
        ManagementClient.json("provider", "openai", "key", "sk-x-000000000000", "baseUrl", "http://127.0.0.1:1/v1"),
        TestGateway.ADMIN_TOKEN);
    assertThat(admins.status()).as("an admin may point at a local model server").isEqualTo(201);
  }

  @Test
  void deletingAUserDeletesTheirProviderKeys() {
    String session = user()[0];
    addProviderKey(session, "gemini", "gemini-own-key-000000000");
    long id = api.call("GET", "/api/user/self", null, session).body().path("id").asLong();

    assertThat(api.call("DELETE", "/api/user/" + id, null, TestGateway.ADMIN_TOKEN).status()).isEqualTo(204);

    assertThat(gateway.app().stores().providerKeys().ofUser(id)).isEmpty();
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The channel admin API as raw HTTP: CRUD, keys never shown, auth, bad input, trying a channel, effect within 1 s. */
@UsesDatabase
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelAdminApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY_A = "sk-admin-test-key-AAAA-0001";
  private static final String KEY_B = "sk-admin-test-key-BBBB-0002";

  @TempDir static Path dataDir;
  static MockOpenAiUpstream upstream;
  static TestGateway gateway;
  static String api;
  /** Every admin response body this class saw, to look for keys in. */
  static final List<String> bodies = new CopyOnWriteArrayList<>();
  static LogCapture logs;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    upstream = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir);
    api = gateway.baseUrl() + "/api/channel";
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    logs.close();
  }

  private static HttpResponse<String> call(String method, String path, String body, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = Http.send(request.build());
    bodies.add(response.body());
    return response;
  }

  private static HttpResponse<String> admin(String method, String path, String body) {
    return call(method, path, body, TestGateway.ADMIN_TOKEN);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String channel(String name, String models, String extra) {
    return "{\"name\":\"" + name + "\",\"type\":\"openai\",\"baseUrl\":\"" + upstream.baseUrl() + "\","
        + "\"keys\":[\"" + KEY_A + "\",\"" + KEY_B + "\"],\"models\":" + models + extra + "}";
  }

  private static long create(String body) throws Exception {
    HttpResponse<String> created = admin("POST", "/api/channel", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created).path("id").asLong();
  }

  @Test
  void channelsAreCreatedReadListedUpdatedAndDeletedWithTheirKeysOnlyMasked() throws Exception {
    HttpResponse<String> created = admin("POST", "/api/channel", channel("crud", "[\"gpt-x\",\"gpt-y\"]",
        ",\"modelMapping\":{\"gpt-x\":\"mock-text\"},\"priority\":3,\"weight\":2,\"paramOverrides\":{\"max_tokens\":64},"
            + "\"extraHeaders\":{\"X-Title\":\"t\"},\"firstByteTimeoutMs\":5000,\"groups\":[\"default\",\"vip\"]"));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode view = json(created);
    long id = view.path("id").asLong();
    assertThat(view.path("maskedKeys")).extracting(JsonNode::asText).containsExactly("sk-…0001", "sk-…0002");
    assertThat(view.has("keys")).isFalse();
    assertThat(view.path("models")).extracting(JsonNode::asText).containsExactly("gpt-x", "gpt-y");
    assertThat(view.path("modelMapping").path("gpt-x").asText()).isEqualTo("mock-text");
    assertThat(view.path("paramOverrides").path("max_tokens").asInt()).isEqualTo(64);
    assertThat(view.path("extraHeaders").path("X-Title").asText()).isEqualTo("t");
    assertThat(view.path("firstByteTimeoutMs").asInt()).isEqualTo(5000);
    assertThat(view.path("connectTimeoutMs").isNull()).isTrue();
    assertThat(view.path("groups")).extracting(JsonNode::asText).containsExactly("default", "vip");
    assertThat(view.path("status").asText()).isEqualTo("enabled");

    assertThat(json(admin("GET", "/api/channel/" + id, null))).isEqualTo(view);
    JsonNode list = json(admin("GET", "/api/channel?page=1&pageSize=100", null));
    assertThat(list.path("total").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(list.path("pageSize").asInt()).isEqualTo(100);
    assertThat(list.path("data").findValuesAsText("name")).contains("crud");

    // An update names what changes; keys left out stay. A fetched view can be sent back edited.
    ((com.fasterxml.jackson.databind.node.ObjectNode) view).put("weight", 9).putNull("paramOverrides");
    HttpResponse<String> updated = admin("PUT", "/api/channel/" + id, view.toString());
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(json(updated).path("weight").asInt()).isEqualTo(9);
    assertThat(json(updated).path("paramOverrides").isEmpty()).isTrue();
    assertThat(json(updated).path("maskedKeys")).hasSize(2);
    assertThat(gateway.app().stores().channels().findById(id).orElseThrow().secrets().all()).containsExactly(KEY_A, KEY_B);

    HttpResponse<String> newKeys = admin("PUT", "/api/channel/" + id, "{\"keys\":[\"sk-replaced-key-000000CCCC\"]}");
    assertThat(json(newKeys).path("maskedKeys")).extracting(JsonNode::asText).containsExactly("sk-…CCCC");
    assertThat(json(newKeys).path("weight").asInt()).isEqualTo(9);

    assertThat(admin("DELETE", "/api/channel/" + id, null).statusCode()).isEqualTo(204);
    assertThat(admin("GET", "/api/channel/" + id, null).statusCode()).isEqualTo(404);
    assertThat(admin("DELETE", "/api/channel/" + id, null).statusCode()).isEqualTo(404);
    assertThat(admin("PUT", "/api/channel/" + id, "{\"weight\":1}").statusCode()).isEqualTo(404);
  }

  @Test
  void aChannelCreatedDisabledIsNotRouted() throws Exception {
    long id = create(channel("born-disabled", "[\"disabled-model\"]", ",\"status\":\"disabled\""));

    assertThat(json(admin("GET", "/api/channel/" + id, null)).path("status").asText()).isEqualTo("disabled");
    assertThat(Http.postJson(gateway.baseUrl() + "/v1/chat/completions", gateway.createKey(),
        Http.chat("disabled-model", false)).statusCode()).isEqualTo(404);
  }

  @Test
  void pagesCountFromOne() throws Exception {
    for (int i = 0; i < 3; i++) {
      create(channel("page-" + i, "[\"page-model\"]", ""));
    }
    JsonNode all = json(admin("GET", "/api/channel?pageSize=100", null));
    long total = all.path("total").asLong();

    JsonNode second = json(admin("GET", "/api/channel?page=2&pageSize=2", null));
    assertThat(second.path("total").asLong()).isEqualTo(total);
    assertThat(second.path("page").asInt()).isEqualTo(2);
    assertThat(second.path("data")).hasSize((int) Math.min(2, total - 2));
    assertThat(second.path("data").get(0).path("id").asLong()).isEqualTo(all.path("data").get(2).path("id").asLong());
    assertThat(json(admin("GET", "/api/channel?page=999", null)).path("data")).isEmpty();
  }

  @Test
  void withoutTheAdminTokenTheApiRefuses() throws Exception {
    HttpResponse<String> none = call("GET", "/api/channel", null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).path("error").path("type").asText()).isEqualTo("authentication_error");

    HttpResponse<String> wrong = call("GET", "/api/channel", null, TestGateway.ADMIN_TOKEN + "x");
    assertThat(wrong.statusCode()).as("neither the admin token nor a session").isEqualTo(401);
    assertThat(call("POST", "/api/channel", channel("sneaky", "[\"m\"]", ""), "wrong").statusCode()).isEqualTo(401);
    assertThat(gateway.app().stores().channels().findByName("sneaky")).isEmpty();

    String apiKey = gateway.createKey();
    assertThat(call("GET", "/api/channel", null, apiKey).statusCode()).as("an API key is not a session").isEqualTo(401);
  }

  @Test
  void withoutAConfiguredTokenAdminsManageChannelsWithTheirSessionAndUsersCannot(@TempDir Path otherDir) throws Exception {
    try (TestGateway off = TestGateway.start(otherDir, c -> c.withAdmin(new TollgateConfig.Admin(null)))) {
      HttpResponse<String> anything = Http.send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/api/channel"))
          .header("Authorization", "Bearer anything").GET().build());
      assertThat(anything.statusCode()).isEqualTo(401);
      assertThat(json(anything).path("error").path("message").asText()).contains("log in again");

      String root = off.login("root", TestGateway.ROOT_PASSWORD);
      HttpResponse<String> asRoot = Http.send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/api/channel"))
          .header("Authorization", "Bearer " + root).GET().build());
      assertThat(asRoot.statusCode()).isEqualTo(200);

      String user = off.registerAndLogin("plainuser", "secret-pw");
      HttpResponse<String> asUser = Http.send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/api/channel"))
          .header("Authorization", "Bearer " + user).GET().build());
      assertThat(asUser.statusCode()).isEqualTo(403);
      assertThat(json(asUser).path("error").path("message").asText()).contains("admin");
    }
  }

  @Test
  void badInputIsA400NamingTheProblem() throws Exception {
    String valid = channel("bad-input", "[\"m\"]", "");
    List<String> bad = List.of(
        "{not json",
        "[1,2]",
        valid.replace("\"models\"", "\"modles\""),
        "{\"name\":\"n\",\"type\":\"openai\",\"baseUrl\":\"https://a.example/v1\",\"models\":[\"m\"]}",
        valid.replace("\"type\":\"openai\"", "\"type\":\"nope\""),
        valid.replace(upstream.baseUrl(), "ftp://x"),
        channel("b", "[\"m\"]", ",\"paramOverrides\":[1]"),
        channel("b", "[\"m\"]", ",\"paramOverrides\":{\"model\":\"other\"}"),
        channel("b", "[\"m\"]", ",\"extraHeaders\":{\"Authorization\":\"Bearer x\"}"),
        channel("b", "[\"m\"]", ",\"idleTimeoutMs\":-5"),
        channel("b", "[\"m\"]", ",\"priority\":\"" + KEY_A + "\""),
        channel("b", "[]", ""),
        channel("b", "[\"m\"]", ",\"status\":\"broken\""));
    for (String body : bad) {
      HttpResponse<String> response = admin("POST", "/api/channel", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      JsonNode error = json(response).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
    }
    assertThat(admin("GET", "/api/channel?page=0", null).statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/api/channel?pageSize=1000", null).statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/api/channel/abc", null).statusCode()).isEqualTo(400);
    assertThat(admin("GET", "/api/channel/987654", null).statusCode()).isEqualTo(404);
    assertThat(json(admin("GET", "/api/channel/987654", null)).path("error").path("message").asText()).contains("987654");

    create(valid);
    HttpResponse<String> duplicate = admin("POST", "/api/channel", valid);
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(json(duplicate).path("error").path("message").asText()).contains("bad-input");
  }

  @Test
  void tryingAChannelReportsItsLatencyOrWhyItFailed() throws Exception {
    long good = create(channel("probe-good", "[\"probe-text\"]", ",\"modelMapping\":{\"probe-text\":\"mock-text\"}"));
    long started = System.nanoTime();
    JsonNode ok = json(admin("POST", "/api/channel/" + good + "/test", null));
    long wallMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(ok.path("ok").asBoolean()).isTrue();
    assertThat(ok.path("status").asInt()).isEqualTo(200);
    assertThat(ok.path("latencyMs").asLong()).isBetween(0L, wallMs);
    assertThat(ok.has("error")).isFalse();
    MockOpenAiUpstream.Received sent = upstream.last();
    assertThat(sent.body().path("model").asText()).isEqualTo("mock-text");
    assertThat(sent.body().path("messages").get(0).path("content").asText()).isEqualTo("hi");
    assertThat(sent.authorization()).startsWith("Bearer sk-admin-test-key-");
    admin("POST", "/api/channel/" + good + "/test", null);
    assertThat(upstream.last().authorization()).as("the next try, the next key").isNotEqualTo(sent.authorization());

    long failing = create(channel("probe-500", "[\"mock-500\"]", ""));
    JsonNode failed = json(admin("POST", "/api/channel/" + failing + "/test", null));
    assertThat(failed.path("ok").asBoolean()).isFalse();
    assertThat(failed.path("status").asInt()).isEqualTo(500);
    assertThat(failed.path("error").asText()).contains("mock upstream exploded");

    long unreachable = create(channel("probe-down", "[\"m\"]", "").replace(upstream.baseUrl(),
        "http://127.0.0.1:" + MockOpenAiUpstream.freePort() + "/v1"));
    JsonNode down = json(admin("POST", "/api/channel/" + unreachable + "/test", null));
    assertThat(down.path("ok").asBoolean()).isFalse();
    assertThat(down.path("status").isNull()).isTrue();
    assertThat(down.path("error").asText()).isNotBlank();

    assertThat(admin("POST", "/api/channel/" + good + "/test?model=not-served", null).statusCode()).isEqualTo(400);
  }

  @Test
  void aChangeMadeThroughTheApiIsRoutedWithinASecond() throws Exception {
    String key = gateway.createKey();
    String chat = gateway.baseUrl() + "/v1/chat/completions";
    long id = create(channel("live", "[\"live-model\"]", ",\"modelMapping\":{\"live-model\":\"mock-text\"}"));
    assertThat(within1s(() -> Http.postJson(chat, key, Http.chat("live-model", false)).statusCode() == 200)).isTrue();

    admin("PUT", "/api/channel/" + id, "{\"paramOverrides\":{\"max_tokens\":11}}");
    assertThat(within1s(() -> {
      Http.postJson(chat, key, Http.chat("live-model", false));
      return upstream.last().body().path("max_tokens").asInt() == 11;
    })).isTrue();

    admin("PUT", "/api/channel/" + id, "{\"status\":\"disabled\"}");
    assertThat(within1s(() -> Http.postJson(chat, key, Http.chat("live-model", false)).statusCode() == 404)).isTrue();
  }

  /** Whether the condition holds at some point within one second of now. */
  private static boolean within1s(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    do {
      if (condition.get()) {
        return true;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return false;
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noResponseAndNoLogLineEverHoldsAFullKey() throws Exception {
    // Runs last and looks at what every test of the class produced, after putting the keys where
    // an echo would be likeliest: in rejected input, and before an upstream that refuses the request.
    admin("POST", "/api/channel", "{\"keys\":[\"" + KEY_A + "\"], \"priority\": \"" + KEY_B + "\"}");
    admin("POST", "/api/channel", "{\"keys\": " + KEY_A + "}");
    long id = create(channel("echo", "[\"mock-400\"]", ""));
    admin("POST", "/api/channel/" + id + "/test", null);
    admin("GET", "/api/channel/" + id, null);

    for (String body : bodies) {
      assertThat(body).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }
    assertThat(logs.lines()).as("the capture works").isNotEmpty();
    for (String line : logs.lines()) {
      assertThat(line).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a channel adds to the requests it serves: its keys in turn, overrides, headers, its own timeouts. */
@UsesDatabase
class ChannelRequestShapingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GLOBAL_FIRST_BYTE_MS = 10_000;
  private static final int GLOBAL_CONNECT_MS = 10_000;

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockAnthropicUpstream anthropic;
  static TestGateway gateway;
  static String key;
  static String url;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    gateway = TestGateway.start(dataDir, c -> c.withUpstream(
        new TollgateConfig.Upstream(GLOBAL_CONNECT_MS, GLOBAL_FIRST_BYTE_MS, GLOBAL_FIRST_BYTE_MS, 64)));
    key = gateway.createKey();
    url = gateway.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    anthropic.close();
  }

  private static ChannelSpec openAiChannel(String model, String upstreamModel, List<String> keys) {
    return new ChannelSpec("ch-" + model, "openai", openAi.baseUrl(), keys, List.of(model), Map.of(model, upstreamModel),
        0, 1, null, null, null, null);
  }

  private static List<MockOpenAiUpstream.Received> receivedWithKeyPrefix(String prefix) {
    return openAi.received().stream().filter(r -> r.authorization() != null && r.authorization().startsWith("Bearer " + prefix)).toList();
  }

  @Test
  void aChannelsKeysAreUsedInTurnAcrossReloads() {
    gateway.addChannel(openAiChannel("rotation-model", "mock-text", List.of("sk-rotation-a", "sk-rotation-b")));

    for (int i = 0; i < 4; i++) {
      assertThat(Http.postJson(url, key, Http.chat("rotation-model", i % 2 == 0)).statusCode()).isEqualTo(200);
      gateway.app().catalog().reload(); // as after any channel change: the round goes on
    }

    List<String> used = receivedWithKeyPrefix("sk-rotation-").stream().map(MockOpenAiUpstream.Received::authorization).toList();
    assertThat(used).hasSize(4);
    assertThat(used.get(0)).isNotEqualTo(used.get(1));
    assertThat(used.subList(2, 4)).isEqualTo(used.subList(0, 2));
    assertThat(used).containsOnly("Bearer sk-rotation-a", "Bearer sk-rotation-b");
  }

  @Test
  void overridesAreMergedIntoAPassthroughBodyLeavingTheRestAsSent() throws Exception {
    gateway.addChannel(openAiChannel("override-model", "mock-text", List.of("sk-override")).toBuilder()
        .paramOverrides(ParamOverrides.parse("{\"max_tokens\": 7, \"metadata\": {\"via\": \"tollgate\"}}")).build());

    String body = "{\"model\":\"override-model\",\"max_tokens\":4000,\"temperature\":1.0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    assertThat(Http.postJson(url, key, body).statusCode()).isEqualTo(200);

    MockOpenAiUpstream.Received received = receivedWithKeyPrefix("sk-override").getLast();
    assertThat(received.body().path("max_tokens").asInt()).isEqualTo(7);
    assertThat(received.body().path("metadata").path("via").asText()).isEqualTo("tollgate");
    assertThat(received.body().path("model").asText()).isEqualTo("mock-text");
    assertThat(new String(received.rawBody(), StandardCharsets.UTF_8)).contains("\"temperature\":1.0");
  }

  @Test
  void overridesAreMergedIntoAConvertedBodyInTheUpstreamsOwnTerms() throws Exception {
    gateway.addChannel(new ChannelSpec("anthropic-override", "anthropic", anthropic.baseUrl(), List.of("sk-ant-override"),
        List.of("claude-override"), Map.of("claude-override", "claude-text"), 0, 1,
        ParamOverrides.parse("{\"max_tokens\": 55, \"top_k\": 3}"), null, null, null));

    String body = "{\"model\":\"claude-override\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    HttpResponse<String> response = Http.postJson(url, key, body);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode received = anthropic.last().body();
    assertThat(received.path("max_tokens").asInt()).isEqualTo(55);
    assertThat(received.path("top_k").asInt()).isEqualTo(3);
    assertThat(JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hello there!");
  }

  @Test
  void extraHeadersReachTheUpstreamButNeverReplaceItsKey() {
    long id = gateway.addChannel(openAiChannel("header-model", "mock-text", List.of("sk-header")).toBuilder()
        .extraHeaders(Map.of("X-Title", "Tollgate test", "OpenAI-Organization", "org-7")).build());

    assertThat(Http.postJson(url, key, Http.chat("header-model", false)).statusCode()).isEqualTo(200);
    Map<String, String> headers = receivedWithKeyPrefix("sk-header").getLast().headers();
    assertThat(headers).containsEntry("x-title", "Tollgate test").containsEntry("openai-organization", "org-7");

    // Validation refuses credential headers; even one that reached the table some other way loses to the key.
    gateway.app().stores().sql().update("UPDATE channels SET extra_headers = ?, updated_at = updated_at + 1 WHERE id = ?",
        "{\"Authorization\":\"Bearer sk-smuggled\",\"X-Title\":\"again\"}", id);
    gateway.app().catalog().reload();
    assertThat(Http.postJson(url, key, Http.chat("header-model", false)).statusCode()).isEqualTo(200);
    MockOpenAiUpstream.Received last = openAi.last();
    assertThat(last.authorization()).isEqualTo("Bearer sk-header");
    assertThat(last.headers()).containsEntry("x-title", "again");
  }

  @Test
  void aChannelsOwnFirstByteTimeoutShorterThanTheGlobalOneEndsTheWait() throws Exception {
    gateway.addChannel(openAiChannel("hang-fast", "mock-hang", List.of("sk-hang")).toBuilder()
        .timeouts(new ChannelTimeouts(null, 300, null)).build());

    long started = System.nanoTime();
    HttpResponse<String> response = Http.postJson(url, key, Http.chat("hang-fast", false));
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("upstream_timeout");
    assertThat(tookMs).as("the channel's 300 ms, not the global %d ms", GLOBAL_FIRST_BYTE_MS).isLessThan(3_000);
  }

  @Test
  void aChannelsOwnConnectTimeoutShorterThanTheGlobalOneEndsTheWait() throws Exception {
    // A listener that never accepts, with its queue filled: further connection attempts hang unanswered.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          Socket socket = new Socket();
          try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 200);
            queued.add(socket);
          } catch (java.io.IOException full) {
            socket.close();
            break;
          }
        }
        gateway.addChannel(new ChannelSpec("connect-fast", "openai", "http://127.0.0.1:" + silent.getLocalPort() + "/v1",
            List.of("sk-connect"), List.of("connect-fast"), Map.of(), 0, 1, null, null,
            new ChannelTimeouts(300, null, null), null));

        long started = System.nanoTime();
        HttpResponse<String> response = Http.postJson(url, key, Http.chat("connect-fast", false));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(tookMs).as("the channel's 300 ms, not the global %d ms", GLOBAL_CONNECT_MS).isLessThan(3_000);
      } finally {
        for (Socket socket : queued) {
          socket.close();
        }
      }
    }
  }
}

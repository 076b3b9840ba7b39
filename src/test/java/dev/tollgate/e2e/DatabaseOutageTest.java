package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.App;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TcpProxy;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.usage.UsageRepository;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database goes away while the gateway runs (a proxy in front of the real server is cut), then
 * comes back: health says 503 meanwhile, requests that need the database fail cleanly in the
 * caller's protocol, requests served from caches keep working, usage recorded during the outage is
 * kept, and everything recovers without a restart. SQLite is a local file: it cannot go away so.
 */
class DatabaseOutageTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  @Timeout(90)
  void theGatewayRidesOutADatabaseOutageAndRecoversOnItsOwn(TestDatabase kind) throws Exception {
    try (TestDatabase.Scratch scratch = kind.create(dir);
        TcpProxy proxy = new TcpProxy(kind.host(), kind.port());
        MockOpenAiUpstream upstream = new MockOpenAiUpstream()) {
      App app = App.start(TestGateway.config(dir, kind.urlVia(scratch, proxy.port()), 2_000, 2_000));
      try {
        String base = "http://127.0.0.1:" + app.port();
        app.stores().channels().insert(new ChannelSpec("mock", "openai", upstream.baseUrl(), "sk-up", List.of("mock-text"), Map.of(), 0, 1));
        app.catalog().reload();
        String usedKey = app.stores().keyService().create(app.stores().root().id(), "used", null, null, null).key();
        String idleKey = app.stores().keyService().create(app.stores().root().id(), "idle", null, null, null).key();
        assertThat(chat(base, usedKey).statusCode()).isEqualTo(200);

        proxy.down();
        awaitStatus(() -> Http.get(base + "/health", null), 503);

        HttpResponse<String> cached = chat(base, usedKey);
        assertThat(cached.statusCode()).as("a key checked before the outage keeps working").isEqualTo(200);
        assertThat(cached.body()).contains("Hello there!");
        String requestDuringOutage = cached.headers().firstValue("x-request-id").orElseThrow();

        HttpResponse<String> unknown = chat(base, idleKey);
        assertThat(unknown.statusCode()).as("a key never seen cannot be checked").isEqualTo(503);
        assertThat(unknown.body()).contains("\"type\":\"server_error\"").contains("\"code\":\"storage_unavailable\"");
        HttpResponse<String> anthropic = Http.post(base + "/v1/messages", idleKey, "application/json",
            "{\"model\":\"mock-text\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(anthropic.statusCode()).isEqualTo(503);
        assertThat(anthropic.body()).startsWith("{\"type\":\"error\"").contains("overloaded_error");

        proxy.up();
        awaitStatus(() -> Http.get(base + "/health", null), 200);
        awaitStatus(() -> chat(base, idleKey), 200);

        UsageRepository usage = new UsageRepository(app.stores().sql());
        long deadline = System.currentTimeMillis() + 20_000;
        while (usage.byRequestId(requestDuringOutage).isEmpty() && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertThat(usage.byRequestId(requestDuringOutage)).as("usage metered during the outage is written after it")
            .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(200));
      } finally {
        app.stop();
      }
    }
  }

  private static HttpResponse<String> chat(String base, String key) {
    return Http.postJson(base + "/v1/chat/completions", key, Http.chat("mock-text", false));
  }

  private static void awaitStatus(Supplier<HttpResponse<String>> call, int status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    int last = call.get().statusCode();
    while (last != status && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      last = call.get().statusCode();
    }
    assertThat(last).isEqualTo(status);
  }
}

package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image URLs reach upstreams that only take bytes (Gemini) as fetched, checked bytes. */
@UsesDatabase
class ImageUrlTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A 1×1 PNG. */
  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

  @TempDir static Path dataDir;
  static Vertx vertx;
  static HttpServer images;
  static MockGeminiUpstream gemini;
  static MockOpenAiUpstream openAi;
  static TestGateway gateway;
  static String key;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    images = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/cat.png" -> request.response().putHeader("content-type", "image/png").end(Buffer.buffer(PNG));
        default -> request.response().putHeader("content-type", "text/html").end("<html>not an image</html>");
      }
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    gemini = new MockGeminiUpstream();
    openAi = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir); // its test policy allows http and loopback
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text"), Map.of());
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text"), Map.of());
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    gemini.close();
    openAi.close();
    vertx.close().await();
  }

  private static String withImage(String model, String url) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is it?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}";
  }

  private static String imageUrl(String path) {
    return "http://127.0.0.1:" + images.actualPort() + path;
  }

  @Test
  void imageUrlIsFetchedAndSentInlineToGemini() {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        withImage("gemini-text", imageUrl("/cat.png")));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode part = gemini.last().body().path("contents").get(0).path("parts").get(1).path("inlineData");
    assertThat(part.path("mimeType").asText()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(part.path("data").asText())).isEqualTo(PNG);
  }

  @Test
  void upstreamsThatTakeUrlsGetTheUrl() {
    String url = imageUrl("/cat.png");
    Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, withImage("mock-text", url));

    assertThat(openAi.last().body().path("messages").get(0).path("content").get(1).path("image_url").path("url").asText())
        .isEqualTo(url);
  }

  @Test
  void aUrlThatIsNotAnImageIsTheClientsError() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        withImage("gemini-text", imageUrl("/page.html")));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_request");
    assertThat(error.path("message").asText()).startsWith("image 1");
  }
}

package dev.tollgate.relay;

import static dev.tollgate.relay.ImageFetchTesting.refusal;
import static dev.tollgate.relay.ImageFetchTesting.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.ContentPart.Image;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import io.vertx.core.Vertx;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replacing the remote images of a whole chat request by inline ones. */
class ImageFetchInliningTest {

  static Vertx vertx;
  static ImageServer server;
  static ImageFetcher fetcher;
  static final String PNG_BASE64 = Base64.getEncoder().encodeToString(ImageServer.PNG);
  static final String JPEG_BASE64 = Base64.getEncoder().encodeToString(ImageServer.JPEG);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = new ImageServer(vertx);
    fetcher = ImageFetcher.create(vertx, new ImageFetchPolicy(true, true, 1024 * 1024, 10_000, 3));
  }

  @AfterAll
  static void stop() {
    fetcher.close().await();
    server.close();
    vertx.close().await();
  }

  @Test
  void onlyRemoteHttpImagesAreReplacedInPlace() {
    Image alreadyInline = Image.inline("image/gif", "R0lGODlhAQABAAAAACw=");
    Image cloudFile = Image.remote("gs://bucket/cat.png");
    Image fileApi = Image.remote("https://generativelanguage.googleapis.com/v1beta/files/abc-123");
    ContentPart.Text question = new ContentPart.Text("what is in these?");
    ContentPart.ToolCall call = new ContentPart.ToolCall("call_1", "snapshot", "{}");
    ChatRequest request = request(
        new Message(Role.USER, List.of(question, Image.remote(server.http("/cat.png")), alreadyInline, cloudFile, fileApi)),
        new Message(Role.ASSISTANT, List.of(call)),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult(
            "call_1", "snapshot", List.of(new ContentPart.Text("taken"), Image.remote(server.http("/photo.jpg"))), false))));

    ChatRequest inlined = result(fetcher.inlineRemoteImages(request));

    assertThat(inlined.messages()).containsExactly(
        new Message(Role.USER, List.of(question, Image.inline("image/png", PNG_BASE64), alreadyInline, cloudFile, fileApi)),
        new Message(Role.ASSISTANT, List.of(call)),
        new Message(Role.TOOL, List.of(new ContentPart.ToolResult(
            "call_1", "snapshot", List.of(new ContentPart.Text("taken"), Image.inline("image/jpeg", JPEG_BASE64)), false))));
    assertThat(inlined).usingRecursiveComparison().ignoringFields("messages").isEqualTo(request);
  }

  @Test
  void requestWithoutRemoteImagesIsReturnedAsIs() {
    ChatRequest request = request(new Message(Role.USER, List.of(new ContentPart.Text("hi"), Image.remote("gs://b/c.png"))));

    assertThat(result(fetcher.inlineRemoteImages(request))).isSameAs(request);
  }

  @Test
  void sameUrlTwiceIsFetchedOnce() {
    String url = server.http("/cat.png?once");
    ChatRequest request = request(
        new Message(Role.USER, List.of(Image.remote(url))),
        new Message(Role.USER, List.of(Image.remote(url))));
    int before = server.hits("/cat.png");

    ChatRequest inlined = result(fetcher.inlineRemoteImages(request));

    assertThat(inlined.messages()).allSatisfy(m -> assertThat(m.parts()).containsExactly(Image.inline("image/png", PNG_BASE64)));
    assertThat(server.hits("/cat.png") - before).isEqualTo(1);
  }

  @Test
  void failureNamesTheImageByItsPlaceAmongAllImages() {
    ChatRequest request = request(new Message(Role.USER, List.of(
        Image.inline("image/png", PNG_BASE64),
        new ContentPart.Text("and"),
        Image.remote(server.http("/cat.png")),
        Image.remote(server.http("/page.html")))));

    assertThat(refusal(fetcher.inlineRemoteImages(request)))
        .isEqualTo("image 3: the URL returned text/html, not an image");
  }

  @Test
  void atMostFourImagesAreFetchedAtOnce() {
    List<ContentPart> images = IntStream.range(0, 9)
        .<ContentPart>mapToObj(i -> Image.remote(server.http("/slow/" + i + ".png")))
        .toList();

    ChatRequest inlined = result(fetcher.inlineRemoteImages(request(new Message(Role.USER, images))));

    assertThat(inlined.messages().getFirst().parts()).hasSize(9).allMatch(p -> ((Image) p).isInline());
    assertThat(server.slowMostAtOnce).hasValue(ImageFetcher.PARALLEL_FETCHES);
  }

  private static ChatRequest request(Message... messages) {
    return new ChatRequest("gemini-2.5-flash", List.of(new ContentPart.Text("be brief")), List.of(messages),
        null, null, null, 512, 0.2, null, null, null, null, null, null, null, null, null, "u-1", false, List.of());
  }
}

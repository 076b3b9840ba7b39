package dev.tollgate.relay;

import static dev.tollgate.relay.ImageFetchTesting.refusal;
import static dev.tollgate.relay.ImageFetchTesting.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.canonical.ContentPart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.net.InetAddress;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fetches from real local servers, with private addresses and plain http allowed for the test. */
class ImageFetcherTest {

  static final ImageFetchPolicy LOCAL = new ImageFetchPolicy(true, true, 256 * 1024, 10_000, 3);

  static Vertx vertx;
  static ImageServer server;
  static ImageFetcher fetcher;

  /** Resolves made-up names to loopback, as a DNS server would; the JVM itself cannot resolve them. */
  static ImageHostResolver testDns = host -> switch (host) {
    case "images.test", "other.test" -> Future.succeededFuture(List.of(loopback()));
    default -> ImageHostResolver.system(vertx).resolve(host);
  };

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = new ImageServer(vertx);
    fetcher = new ImageFetcher(vertx, new HttpClientOptions().setTrustOptions(ImageServer.trust()), LOCAL, testDns);
  }

  @AfterAll
  static void stop() {
    fetcher.close().await();
    server.close();
    vertx.close().await();
  }

  @Test
  void pngIsFetchedAsInlineBase64() {
    ContentPart.Image image = result(fetcher.fetch(server.http("/cat.png"), "image 1"));

    assertThat(image.isInline()).isTrue();
    assertThat(image.url()).isNull();
    assertThat(image.mimeType()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(ImageServer.PNG);
  }

  @Test
  void jpegIsFetchedAndImageJpgIsNormalisedToImageJpeg() {
    ContentPart.Image image = result(fetcher.fetch(server.http("/cat.jpg"), "image 1"));

    assertThat(image.mimeType()).isEqualTo("image/jpeg");
    assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(ImageServer.JPEG);
  }

  @Test
  void redirectsUpToTheLimitAreFollowed() {
    ContentPart.Image image = result(fetcher.fetch(server.http("/redirect/2"), "image 1")); // 3 redirects

    assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(ImageServer.PNG);
  }

  @Test
  void oneRedirectMoreThanTheLimitIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/redirect/3"), "image 2")))
        .isEqualTo("image 2: the URL redirected more than 3 times");
  }

  @Test
  void redirectLoopIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/loop-a"), "image 1")))
        .isEqualTo("image 1: the URL redirects in a loop");
  }

  @Test
  void bodyOverTheCapIsRefusedWithoutReadingTheRest() throws Exception {
    long started = System.nanoTime();

    String message = refusal(fetcher.fetch(server.http("/endless.png"), "image 1"));

    assertThat(message).isEqualTo("image 1: the image is larger than the 262144 bytes limit");
    assertThat(elapsedMs(started)).isLessThan(LOCAL.timeoutMs() / 2); // the cap ended it, not the timer
    assertThat(server.endlessClosed.await(1, TimeUnit.SECONDS)).as("connection closed by the fetcher").isTrue();
  }

  @Test
  void declaredLengthOverTheCapIsRefusedBeforeTheBody() {
    long started = System.nanoTime();

    assertThat(refusal(fetcher.fetch(server.http("/huge-declared.png"), "image 1")))
        .isEqualTo("image 1: the image is larger than the 262144 bytes limit");
    assertThat(elapsedMs(started)).isLessThan(LOCAL.timeoutMs() / 2);
  }

  @Test
  void htmlPageIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/page.html"), "image 1")))
        .isEqualTo("image 1: the URL returned text/html, not an image");
  }

  @Test
  void htmlServedAsImagePngIsRefusedByItsFirstBytes() {
    assertThat(refusal(fetcher.fetch(server.http("/html-as.png"), "image 1")))
        .isEqualTo("image 1: the URL said image/png but its content is not an image");
  }

  @Test
  void jpegServedAsImagePngIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/jpeg-as.png"), "image 1")))
        .isEqualTo("image 1: the URL said image/png but its content is image/jpeg");
  }

  @Test
  void imageTypeOutsideJpegPngGifWebpIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/drawing.bmp"), "image 1")))
        .isEqualTo("image 1: the URL returned image/bmp; only JPEG, PNG, GIF and WebP images are accepted");
  }

  @Test
  void errorStatusIsRefused() {
    assertThat(refusal(fetcher.fetch(server.http("/gone.png"), "image 1")))
        .isEqualTo("image 1: the URL answered HTTP 404");
  }

  @Test
  void silentServerTimesOutWithinTheTimeout() {
    ImageFetcher quick = new ImageFetcher(vertx, new HttpClientOptions(), new ImageFetchPolicy(true, true, 1024, 300, 3), testDns);
    long started = System.nanoTime();

    String message = refusal(quick.fetch(server.http("/silent.png"), "image 1"));

    assertThat(message).isEqualTo("image 1: fetching the URL took longer than 300 ms");
    assertThat(elapsedMs(started)).isBetween(250L, 2_000L);
    quick.close().await();
  }

  @Test
  void connectionGoesToTheCheckedAddressAndSendsTheUrlsHostName() {
    // "images.test" exists only in the fetcher's resolver: had the HTTP client resolved the name
    // again, the connection would have failed.
    String url = "http://images.test:" + server.httpPort() + "/photo.jpg";

    ContentPart.Image image = result(fetcher.fetch(url, "image 1"));

    assertThat(image.mimeType()).isEqualTo("image/jpeg");
    assertThat(server.lastHost).isEqualTo("images.test:" + server.httpPort());
  }

  @Test
  void httpsToTheCheckedAddressVerifiesTheCertificateAgainstTheHostName() {
    // The certificate names "images.test" and no address: verified against 127.0.0.1 it would fail.
    String url = "https://images.test:" + server.httpsPort() + "/cat.png";

    ContentPart.Image image = result(fetcher.fetch(url, "image 1"));

    assertThat(Base64.getDecoder().decode(image.data())).isEqualTo(ImageServer.PNG);
    assertThat(server.lastServerName).as("SNI").isEqualTo("images.test");
    assertThat(server.lastHost).isEqualTo("images.test:" + server.httpsPort());
  }

  @Test
  void httpsCertificateForAnotherNameIsRefused() {
    // Same address, but the certificate names "images.test", not "other.test".
    String url = "https://other.test:" + server.httpsPort() + "/cat.png";

    assertThat(refusal(fetcher.fetch(url, "image 1"))).startsWith("image 1: the TLS handshake with the URL's host failed");
  }

  @Test
  void redirectFromHttpsToPlainHttpIsRefusedWhenHttpIsNotAllowed() {
    ImageFetcher httpsOnly = new ImageFetcher(vertx, new HttpClientOptions().setTrustOptions(ImageServer.trust()),
        new ImageFetchPolicy(false, true, 1024 * 1024, 10_000, 3), testDns);
    String url = "https://images.test:" + server.httpsPort() + "/to-plain-http";
    int before = server.hits("/cat.png");

    assertThat(refusal(httpsOnly.fetch(url, "image 1"))).isEqualTo("image 1: only https URLs can be fetched");
    assertThat(server.hits("/to-plain-http")).isEqualTo(1);
    assertThat(server.hits("/cat.png")).as("the plain http hop was never made").isEqualTo(before);
    httpsOnly.close().await();
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static InetAddress loopback() {
    return InetAddress.getLoopbackAddress();
  }
}

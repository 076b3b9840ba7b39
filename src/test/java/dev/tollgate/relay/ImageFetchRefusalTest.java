package dev.tollgate.relay;

import static dev.tollgate.relay.ImageFetchTesting.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.NetServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default policy: https only, public addresses only, refused before any connection is made. */
class ImageFetchRefusalTest {

  static Vertx vertx;
  static ImageFetcher fetcher;
  static NetServer listener;
  static final AtomicInteger connections = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    fetcher = ImageFetcher.create(vertx, ImageFetchPolicy.defaults());
    listener = vertx.createNetServer()
        .connectHandler(socket -> {
          connections.incrementAndGet();
          socket.close();
        })
        .listen(0, "127.0.0.1")
        .await(5, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    fetcher.close().await();
    vertx.close().await();
  }

  @Test
  void defaultsAreHttpsOnlyPublicOnly20MbTenSecondsThreeRedirects() {
    assertThat(ImageFetchPolicy.defaults()).isEqualTo(new ImageFetchPolicy(false, false, 20L * 1024 * 1024, 10_000, 3));
  }

  @Test
  void plainHttpIsRefused() {
    assertThat(refusal(fetcher.fetch("http://example.com/cat.png", "image 2")))
        .isEqualTo("image 2: only https URLs can be fetched");
  }

  @Test
  void otherSchemesAreRefused() {
    assertThat(refusal(fetcher.fetch("ftp://example.com/cat.png", "image 1")))
        .isEqualTo("image 1: only https URLs can be fetched");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://127.0.0.1/cat.png",
      "https://localhost/cat.png",
      "https://10.0.0.1/cat.png",
      "https://172.16.5.4/cat.png",
      "https://192.168.1.1/cat.png",
      "https://169.254.169.254/latest/meta-data/",
      "https://0.0.0.0/cat.png",
      "https://[::1]/cat.png",
      "https://[::]/cat.png",
      "https://[fd00:ec2::254]/latest/meta-data/",
      "https://[fe80::1]/cat.png",
      "https://[::ffff:127.0.0.1]/cat.png",
      "https://[::ffff:169.254.169.254]/cat.png",
      "https://user@127.0.0.1/cat.png",
  })
  void privateAddressesAreRefused(String url) {
    assertThat(refusal(fetcher.fetch(url, "image 2"))).isEqualTo("image 2: the URL points to a private address");
  }

  @Test
  void privateAddressIsRefusedBeforeAnyConnection() {
    int port = listener.actualPort();

    assertThat(refusal(fetcher.fetch("https://127.0.0.1:" + port + "/cat.png", "image 1")))
        .isEqualTo("image 1: the URL points to a private address");
    assertThat(refusal(fetcher.fetch("https://localhost:" + port + "/cat.png", "image 1")))
        .isEqualTo("image 1: the URL points to a private address");
    assertThat(connections).hasValue(0);
  }

  @Test
  void nameWithAnyPrivateAddressIsRefused() throws UnknownHostException {
    List<InetAddress> answer = List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3"));
    ImageFetcher mixed = new ImageFetcher(
        vertx, new HttpClientOptions(), ImageFetchPolicy.defaults(), host -> Future.succeededFuture(answer));

    assertThat(refusal(mixed.fetch("https://mixed.test/cat.png", "image 1")))
        .isEqualTo("image 1: the URL points to a private address");
    mixed.close().await();
  }

  @Test
  void unknownHostIsRefused() {
    assertThat(refusal(fetcher.fetch("https://no-such-host.invalid/cat.png", "image 1")))
        .isEqualTo("image 1: the URL's host name could not be resolved");
  }

  @Test
  void malformedUrlIsRefused() {
    assertThat(refusal(fetcher.fetch("https://exa mple.com/cat.png", "image 1")))
        .isEqualTo("image 1: the URL is not valid");
  }
}

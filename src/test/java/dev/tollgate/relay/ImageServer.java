package dev.tollgate.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real HTTP and HTTPS servers on loopback that serve images, redirects and the ways a URL can go
 * wrong, and remember what they saw.
 */
final class ImageServer implements AutoCloseable {

  /** 4×3 pixels, as written by javax.imageio (kept as text: starting AWT costs the tests a second). */
  static final byte[] PNG = Base64.getMimeDecoder().decode("""
      iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEUlEQVR4XmNgQAP/O9BFQAAAITkB
      iHxTvKIAAAAASUVORK5CYII=
      """);
  static final byte[] JPEG = Base64.getMimeDecoder().decode("""
      /9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a
      HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIy
      MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAADAAQDASIA
      AhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQA
      AAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3
      ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWm
      p6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEA
      AwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSEx
      BhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElK
      U1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3
      uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDwGSRp
      WDMFBChflUKMAYHA78de/U80UUUAf//Z
      """);
  static final byte[] HTML = "<!doctype html><html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8);

  /** Self-signed, for the DNS name "images.test" only (no IP address), valid until 2126. */
  static final String CERT = """
      -----BEGIN CERTIFICATE-----
      MIIBmzCCAUGgAwIBAgIUBYVTQVP6K/c6z5Xd7J098+4pLwwwCgYIKoZIzj0EAwIw
      FjEUMBIGA1UEAwwLaW1hZ2VzLnRlc3QwIBcNMjYxMTIzMTUyNTQ1WhgPMjEyNjEw
      MzAxNTI1NDVaMBYxFDASBgNVBAMMC2ltYWdlcy50ZXN0MFkwEwYHKoZIzj0CAQYI
      KoZIzj0DAQcDQgAE0J1U/d9TruPAdkUGJQQueZ2HzCIaYlZdwCwUWlIzbD3mkS2/
      SO9Nbh22uF+87T/WI2cLbg5uLUcjrHQP9z4m/6NrMGkwHQYDVR0OBBYEFBTLjru7
      qSVurScx23XbXZ6ko+1WMB8GA1UdIwQYMBaAFBTLjru7qSVurScx23XbXZ6ko+1W
      MA8GA1UdEwEB/wQFMAMBAf8wFgYDVR0RBA8wDYILaW1hZ2VzLnRlc3QwCgYIKoZI
      zj0EAwIDSAAwRQIhAKPn1Ndrq2v2+DMwjB8B77KzV6NQKT0UImAJJLT92GSDAiB4
      EIP3XziuGdIaRtFqBdgXZZnU2GfKZQm3yaLXsxfe5g==
      -----END CERTIFICATE-----
      """;
  private static final String KEY = """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg3wk1BthHf8HlUiqw
      GzPkm+9607ANgP64/8lcoDexKtmhRANCAATQnVT931Ou48B2RQYlBC55nYfMIhpi
      Vl3ALBRaUjNsPeaRLb9I701uHba4X7ztP9YjZwtuDm4tRyOsdA/3Pib/
      -----END PRIVATE KEY-----
      """;

  private final Vertx vertx;
  private final HttpServer http;
  private final HttpServer https;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final AtomicInteger connections = new AtomicInteger();
  volatile String lastHost;
  volatile String lastServerName;
  final CountDownLatch endlessClosed = new CountDownLatch(1);
  final AtomicLong endlessWritten = new AtomicLong();
  private final AtomicInteger slowInFlight = new AtomicInteger();
  final AtomicInteger slowMostAtOnce = new AtomicInteger();

  ImageServer(Vertx vertx) {
    this.vertx = vertx;
    this.http = listen(new HttpServerOptions());
    this.https = listen(new HttpServerOptions()
        .setSsl(true)
        .setSni(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(CERT)).setKeyValue(Buffer.buffer(KEY))));
  }

  static PemTrustOptions trust() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(CERT));
  }

  String http(String path) {
    return "http://127.0.0.1:" + http.actualPort() + path;
  }

  int httpPort() {
    return http.actualPort();
  }

  int httpsPort() {
    return https.actualPort();
  }

  int hits(String path) {
    return hits.getOrDefault(path, new AtomicInteger()).get();
  }

  private HttpServer listen(HttpServerOptions options) {
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(this::handle);
    try {
      return server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    lastHost = request.headers().get("Host");
    lastServerName = request.connection().indicatedServerName();
    HttpServerResponse response = request.response();
    if (path.startsWith("/redirect/")) {
      int left = Integer.parseInt(path.substring("/redirect/".length()));
      redirect(response, 302, left == 0 ? "/cat.png" : "/redirect/" + (left - 1));
      return;
    }
    if (path.startsWith("/slow/")) {
      slow(response);
      return;
    }
    switch (path) {
      case "/cat.png" -> serve(response, "image/png", PNG);
      case "/cat.jpg" -> serve(response, "image/jpg", JPEG); // the common misspelling
      case "/photo.jpg" -> serve(response, "image/jpeg", JPEG);
      case "/to-plain-http" -> redirect(response, 302, http("/cat.png"));
      case "/loop-a" -> redirect(response, 302, "/loop-b");
      case "/loop-b" -> redirect(response, 301, http("/loop-a"));
      case "/page.html" -> serve(response, "text/html; charset=utf-8", HTML);
      case "/html-as.png" -> serve(response, "image/png", HTML);
      case "/jpeg-as.png" -> serve(response, "image/png", JPEG);
      case "/drawing.bmp" -> serve(response, "image/bmp", new byte[] {'B', 'M', 0, 0});
      case "/huge-declared.png" -> response
          .putHeader("Content-Type", "image/png")
          .putHeader("Content-Length", "50000000")
          .write(Buffer.buffer(PNG)); // then nothing: only the declared length can end this quickly
      case "/endless.png" -> endless(response);
      case "/silent.png" -> { } // never answers
      default -> response.setStatusCode(404).end("not found");
    }
  }

  private static void serve(HttpServerResponse response, String contentType, byte[] body) {
    response.putHeader("Content-Type", contentType).end(Buffer.buffer(body));
  }

  private static void redirect(HttpServerResponse response, int status, String location) {
    response.setStatusCode(status).putHeader("Location", location).end("moved");
  }

  /** A PNG that never ends: chunks as fast as the client takes them, until it hangs up. */
  private void endless(HttpServerResponse response) {
    boolean[] closed = {false};
    response.closeHandler(ignored -> {
      closed[0] = true;
      endlessClosed.countDown();
    });
    response.exceptionHandler(ignored -> closed[0] = true);
    response.setChunked(true).putHeader("Content-Type", "image/png");
    Buffer chunk = Buffer.buffer(PNG).appendBuffer(Buffer.buffer(new byte[64 * 1024]));
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (!closed[0] && !response.writeQueueFull()) {
        response.write(chunk);
        endlessWritten.addAndGet(chunk.length());
      }
      if (!closed[0]) {
        response.drainHandler(ignored -> pump[0].run());
      }
    };
    pump[0].run();
  }

  private void slow(HttpServerResponse response) {
    int now = slowInFlight.incrementAndGet();
    slowMostAtOnce.accumulateAndGet(now, Math::max);
    vertx.setTimer(150, id -> {
      slowInFlight.decrementAndGet();
      serve(response, "image/png", PNG);
    });
  }

  @Override
  public void close() {
    http.close().await();
    https.close().await();
  }
}

package dev.tollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** What every mock upstream shares: a real Vert.x server on a free loopback port, and what it received. */
abstract class MockServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final List<MockOpenAiUpstream.Received> received = new CopyOnWriteArrayList<>();

  MockServer() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    try {
      server.listen(MockOpenAiUpstream.freePort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  abstract void handle(HttpServerRequest request);

  /** {@code http://127.0.0.1:PORT}, without any path. */
  String origin() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public MockOpenAiUpstream.Received last() {
    return received.get(received.size() - 1);
  }

  static Map<String, String> headers(HttpServerRequest request) {
    Map<String, String> headers = new HashMap<>();
    request.headers().forEach(entry -> headers.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()));
    return headers;
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}

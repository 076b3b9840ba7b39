package dev.tollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
    server = vertx.createHttpServer().requestHandler(this::receive);
    try {
      server.listen(MockOpenAiUpstream.freePort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads and records a request, then lets the mock answer it. */
  private void receive(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      String contentType = request.getHeader("content-type");
      if (contentType != null && contentType.startsWith("multipart/form-data")) {
        received.add(new MockOpenAiUpstream.Received(
            request.path(), request.getHeader(authHeader()), null, body.getBytes(), headers(request), request.query()));
        routeUpload(request, body.getBytes());
        return;
      }
      JsonNode json;
      try {
        json = JSON.readTree(body.getBytes());
      } catch (IOException e) {
        notJson(request.response());
        return;
      }
      received.add(new MockOpenAiUpstream.Received(
          request.path(), request.getHeader(authHeader()), json, body.getBytes(), headers(request), request.query()));
      route(request, json);
    });
  }

  /** The header this protocol's clients authenticate with. */
  abstract String authHeader();

  /** Answers a body that is not JSON, in the protocol's error shape. */
  abstract void notJson(HttpServerResponse response);

  abstract void route(HttpServerRequest request, JsonNode json);

  /** A multipart upload (audio); refused unless the mock takes uploads. */
  void routeUpload(HttpServerRequest request, byte[] body) {
    notJson(request.response());
  }

  /** {@code http://127.0.0.1:PORT}, without any path. */
  String origin() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** How many requests arrived so far. */
  public int receivedCount() {
    return received.size();
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

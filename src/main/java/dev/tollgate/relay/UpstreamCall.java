package dev.tollgate.relay;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP exchange with an upstream, watched by a timer: the response head must come within the
 * first-byte timeout, then the body may never stay silent longer than the idle timeout. When a
 * limit passes, the request is reset and its futures fail with {@link UpstreamTimeoutException}.
 * {@link #cancel} resets it on purpose (the client left).
 */
final class UpstreamCall {

  private final Vertx vertx;
  private final UpstreamTimeouts timeouts;
  private HttpClientRequest request;
  private long sentAt;
  private volatile long lastActivity;
  private boolean headReceived;
  private long timerId = -1;
  private boolean finished;
  private boolean timedOut;

  UpstreamCall(Vertx vertx, UpstreamTimeouts timeouts) {
    this.vertx = vertx;
    this.timeouts = timeouts;
  }

  Future<HttpClientResponse> send(HttpClientAgent client, String url, MultiMap headers, byte[] body) {
    RequestOptions options = UpstreamTarget.of(url).post().setHeaders(headers);
    if (timeouts.connectMs() > 0) { // a channel's own; otherwise the client's setting applies
      options.setConnectTimeout(timeouts.connectMs());
    }
    return client
        .request(options)
        .compose(
            req -> {
              request = req;
              // Failures reach the caller through the futures; without a handler Vert.x would
              // also log every reset (e.g. of a call cancelled because the client left) as an error.
              req.exceptionHandler(ignored -> {});
              sentAt = System.nanoTime();
              if (finished) { // cancelled while the connection was being made
                req.reset();
                return Future.failedFuture(new IllegalStateException("cancelled"));
              }
              timerId = vertx.setPeriodic(timeouts.checkPeriodMs(), id -> check());
              return req.send(Buffer.buffer(body));
            })
        .onSuccess(response -> {
          headReceived = true;
          lastActivity = System.nanoTime();
        })
        .onFailure(err -> finish());
  }

  /** Marks body activity; call for every chunk received. */
  void activity() {
    lastActivity = System.nanoTime();
  }

  /** Stops watching: the exchange is over. */
  void finish() {
    finished = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** Abandons the exchange, e.g. because the client disconnected. */
  void cancel() {
    finish();
    if (request != null) {
      request.reset();
    }
  }

  private void check() {
    long now = System.nanoTime();
    if (!headReceived && now - sentAt > timeouts.firstByteMs() * 1_000_000) {
      expire("upstream sent no response within " + timeouts.firstByteMs() + " ms");
    } else if (headReceived && now - lastActivity > timeouts.idleMs() * 1_000_000) {
      expire("upstream went silent for more than " + timeouts.idleMs() + " ms");
    }
  }

  /** True when this exchange was ended by a timeout rather than by the upstream or the client. */
  boolean timedOut() {
    return timedOut;
  }

  private void expire(String why) {
    timedOut = true;
    finish();
    request.reset(0, new UpstreamTimeoutException(why));
  }
}

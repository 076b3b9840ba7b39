package dev.tollgate.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Keeps an idle client stream open (protocols.md §6.19): when nothing was written to the client
 * for the interval — the upstream is thinking, or sends nothing the client would see — it writes
 * a beat that means nothing to the client, so proxies and load balancers with idle timeouts do
 * not cut the stream. One per client stream.
 *
 * <p>Beats go out only between the relay's writes, and the relays write whole events only, so a
 * beat never lands inside an event. One timer, re-armed for the time left whenever it fires, so a
 * busy stream costs one field write per chunk. It runs on the stream's event loop (Vert.x timers
 * fire on the context that set them), like the relay itself: no locking.
 */
final class StreamKeepalive {

  private final Vertx vertx;
  private final HttpServerResponse client;
  private final long intervalNanos;
  private final byte[] beat;
  private long lastWrite;
  private long timerId = -1;
  private boolean stopped;

  private StreamKeepalive(Vertx vertx, HttpServerResponse client, long intervalMs, byte[] beat) {
    this.vertx = vertx;
    this.client = client;
    this.intervalNanos = intervalMs * 1_000_000;
    this.beat = beat;
  }

  /** Starts watching {@code client}; an interval of 0 (or less) gives a keepalive that never beats. */
  static StreamKeepalive start(Vertx vertx, HttpServerResponse client, long intervalMs, byte[] beat) {
    StreamKeepalive keepalive = new StreamKeepalive(vertx, client, intervalMs, beat);
    if (intervalMs > 0) {
      keepalive.lastWrite = System.nanoTime();
      keepalive.arm(intervalMs);
    } else {
      keepalive.stopped = true;
    }
    return keepalive;
  }

  /** The relay wrote to the client: the idle time starts again. */
  void wrote() {
    lastWrite = System.nanoTime();
  }

  /** The stream is over. */
  void stop() {
    stopped = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void arm(long delayMs) {
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> fire());
  }

  private void fire() {
    timerId = -1;
    if (stopped || client.closed() || client.ended()) {
      return;
    }
    long idle = System.nanoTime() - lastWrite;
    if (idle >= intervalNanos) {
      if (!client.writeQueueFull()) { // a full queue is still draining: the client is not idle
        client.write(Buffer.buffer(beat));
      }
      lastWrite = System.nanoTime();
      arm(intervalNanos / 1_000_000);
    } else {
      arm((intervalNanos - idle) / 1_000_000);
    }
  }
}

package dev.tollgate.relay;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Relays one event stream of the client's own protocol as it arrives, event by event, byte for
 * byte — except, for OpenAI, the usage chunk the gateway requested on the client's behalf. Back-pressure: when the
 * client reads slower than the upstream writes, the upstream is paused, so memory stays bounded.
 *
 * <p>Endings: the protocol's end marker (OpenAI {@code [DONE]} or a finish reason, Anthropic
 * {@code message_stop}, Gemini a finish reason) then EOF is a complete answer; anything else after
 * the first byte (reset, timeout, EOF mid-answer) ends the stream with an error event in the
 * client's protocol — never a fake end marker. A client that leaves cancels the upstream call. Every ending is
 * metered once, with what was generated.
 *
 * <p>Every write here ends at an event boundary: the SSE reader holds back a partial event until
 * its blank line arrives, and only whole events (or whole chunks of whole events) are written. So
 * the {@link StreamKeepalive} comment may follow any write without splitting an event.
 */
final class StreamRelay {

  private final RelayContext cx;
  private final UpstreamCall call;
  private final HttpClientResponse upstream;
  private final Metering metering;
  private final HttpServerResponse client;
  private final Passthrough.StreamWatch sniffer;
  private final SseReader reader;
  private final StreamKeepalive keepalive;
  private final List<byte[]> ready = new ArrayList<>(4);
  private boolean droppedSome;
  private boolean over;

  StreamRelay(
      RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, Metering metering,
      int maxEventBytes, StreamKeepalive keepalive) {
    this.cx = cx;
    this.keepalive = keepalive;
    this.call = call;
    this.upstream = upstream;
    this.metering = metering;
    this.client = rc.response();
    this.sniffer = cx.request.meter().watchStream(cx.request.clientWantsUsage(), metering.estimator()::count);
    this.reader = new SseReader(this::onEvent, maxEventBytes);
  }

  void start() {
    openClientStream(client, upstream.statusCode(), upstream.getHeader(HttpHeaders.CONTENT_TYPE));
    cx.clientGone = this::onClientGone;
    client.drainHandler(v -> upstream.resume());
    upstream.handler(this::onChunk);
    upstream.exceptionHandler(this::onUpstreamFailure);
    upstream.endHandler(v -> onUpstreamEnd());
  }

  /** The head of a streamed answer: chunked, never cached, never buffered by a proxy in front. */
  static void openClientStream(HttpServerResponse client, int status, String contentType) {
    client.setStatusCode(status);
    client.setChunked(true);
    client.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    client.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    client.putHeader("X-Accel-Buffering", "no");
  }

  private void onChunk(Buffer chunk) {
    if (over) {
      return;
    }
    call.activity();
    boolean continuesAnEvent = reader.heldBytes() > 0;
    try {
      reader.feed(chunk.getBytes());
    } catch (SseReader.EventTooLargeException e) {
      flush();
      failMidStream(GatewayError.of(ErrorCode.UPSTREAM_ERROR, e.getMessage()));
      call.cancel();
      return;
    }
    if (!continuesAnEvent && !droppedSome && reader.heldBytes() == 0) {
      // The usual case: the chunk held whole events, all relayed. Send the upstream's own buffer.
      ready.clear();
      if (!client.closed()) {
        client.write(chunk);
        keepalive.wrote();
      }
    } else {
      flush();
    }
    droppedSome = false;
    if (client.writeQueueFull()) {
      upstream.pause();
    }
  }

  /** Collects the events of one upstream chunk so they go out in one write. */
  private void onEvent(SseEvent event) {
    if (sniffer.onEvent(event)) {
      ready.add(event.raw());
    } else {
      droppedSome = true;
    }
  }

  private void flush() {
    if (!ready.isEmpty() && !client.closed()) {
      Buffer out = Buffer.buffer(ready.size() == 1 ? ready.get(0).length : 256);
      for (byte[] raw : ready) {
        out.appendBytes(raw);
      }
      client.write(out);
      keepalive.wrote();
    }
    ready.clear();
  }

  private void onUpstreamEnd() {
    if (over) {
      return;
    }
    call.finish();
    reader.finish();
    flush();
    if (sniffer.complete()) {
      over = true;
      keepalive.stop();
      meter(200, sniffer.sawError() ? ErrorCode.UPSTREAM_ERROR : null);
      client.end();
    } else {
      failMidStream(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream closed the stream before the answer was complete"));
    }
  }

  private void onUpstreamFailure(Throwable err) {
    if (over) {
      return;
    }
    GatewayError error = UpstreamOutcomes.classify(err, call);
    call.finish();
    flush();
    failMidStream(call.timedOut()
        ? GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "the upstream went silent mid-answer")
        : GatewayError.of(error.code(), "the upstream failed mid-answer: " + error.message()));
  }

  /** The client has a 200 already: the failure is told inside the stream, then it ends. */
  private void failMidStream(GatewayError error) {
    over = true;
    keepalive.stop();
    meter(200, error.code());
    if (!client.closed()) {
      client.end(Buffer.buffer(cx.request.meter().streamError(error)));
    }
  }

  private void onClientGone() {
    if (over) {
      return;
    }
    over = true;
    keepalive.stop();
    call.cancel();
    meter(UpstreamOutcomes.CLIENT_CLOSED, null);
  }

  private void meter(int status, ErrorCode error) {
    metering.record(cx, status, error, sniffer.reportedUsage(), true, sniffer::estimatedCompletionTokens);
  }
}

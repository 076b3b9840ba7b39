package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.canonical.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Relays a stream across protocols: upstream bytes → the upstream codec's decoder → canonical
 * events → the client codec's encoder → client bytes, chunk by chunk as they arrive. Endings,
 * back-pressure, cancellation, keepalives and metering behave as in {@link StreamRelay}; the upstream's own
 * failures arrive as {@link StreamEvent.Error} and are told in the client's protocol.
 */
final class ConvertedStreamRelay {

  private final RelayContext cx;
  private final UpstreamCall call;
  private final HttpClientResponse upstream;
  private final Metering metering;
  private final HttpServerResponse client;
  private final ChatCodec.StreamDecoder decoder;
  private final ChatCodec.StreamEncoder encoder;
  private final GeneratedText generated;
  private final ToolCallSignatures signatures;
  private final StreamKeepalive keepalive;
  private Buffer out;
  private StreamEvent.Finish finish;
  private boolean over;
  private boolean ended;

  ConvertedStreamRelay(
      RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, Metering metering,
      ChatCodec.StreamDecoder decoder, ChatCodec.StreamEncoder encoder, ToolCallSignatures signatures,
      StreamKeepalive keepalive) {
    this.cx = cx;
    this.call = call;
    this.upstream = upstream;
    this.metering = metering;
    this.client = rc.response();
    this.decoder = decoder;
    this.encoder = encoder;
    this.generated = new GeneratedText(metering.estimator());
    this.signatures = signatures;
    this.keepalive = keepalive;
  }

  void start() {
    StreamRelay.openClientStream(client, 200, encoder.contentType());
    cx.clientGone = this::onClientGone;
    client.drainHandler(v -> upstream.resume());
    upstream.handler(this::onChunk);
    upstream.exceptionHandler(this::onUpstreamFailure);
    upstream.endHandler(v -> onUpstreamEnd());
  }

  private void onChunk(Buffer chunk) {
    if (over) {
      return;
    }
    call.activity();
    try {
      decoder.feed(chunk.getBytes(), this::onEvent);
    } catch (RuntimeException e) {
      onEvent(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream stream could not be read")));
      call.cancel();
    }
    if (ended) {
      end(); // the last events go out with the response's end, in one write
      return;
    }
    flush();
    if (client.writeQueueFull()) {
      upstream.pause();
    }
  }

  private void onEvent(StreamEvent event) {
    if (ended) {
      return; // nothing follows an answer's end or an error
    }
    switch (event) {
      case StreamEvent.TextDelta text -> generated.add(text.text());
      case StreamEvent.ThinkingDelta thinking -> generated.add(thinking.text());
      case StreamEvent.ToolCallStart start -> {
        generated.add(start.name());
        signatures.remember(cx.key, start);
      }
      case StreamEvent.ToolArgsDelta args -> generated.add(args.json());
      case StreamEvent.Finish done -> {
        finish = done;
        ended = true;
      }
      case StreamEvent.Error error -> {
        cx.streamError = error.error().code();
        ended = true;
      }
      default -> {}
    }
    byte[] bytes = encoder.encode(event);
    if (bytes.length > 0) {
      if (out == null) {
        out = Buffer.buffer(bytes);
      } else {
        out.appendBytes(bytes);
      }
    }
  }

  /**
   * Writes what the encoder made of the chunk: whole events only, so a keepalive may follow. The
   * stream's last events are not flushed here but sent with its end (see {@link #end()}).
   */
  private void flush() {
    if (out != null && !client.closed()) {
      client.write(out);
      keepalive.wrote();
    }
    out = null;
  }

  private void onUpstreamEnd() {
    if (over) {
      return;
    }
    call.finish();
    if (!ended) {
      try {
        decoder.finish(this::onEvent);
      } catch (RuntimeException e) {
        onEvent(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream stream could not be read")));
      }
    }
    if (!ended) { // a decoder must end the stream; if it did not, the answer was cut
      onEvent(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR,
          "the upstream closed the stream before the answer was complete")));
    }
    end();
  }

  private void onUpstreamFailure(Throwable err) {
    if (over) {
      return;
    }
    call.finish();
    if (!ended) {
      onEvent(new StreamEvent.Error(call.timedOut()
          ? GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "the upstream went silent mid-answer")
          : GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream failed mid-answer")));
    }
    end();
  }

  private void end() {
    if (over) {
      return;
    }
    over = true;
    keepalive.stop();
    call.finish();
    metering.record(cx, 200, cx.streamError,
        finish == null || finish.usage() == null ? null : Usage.of(finish.usage()),
        true, generated::tokens);
    if (!client.closed()) {
      if (out == null) {
        client.end();
      } else {
        client.end(out);
      }
    }
    out = null;
    if (finish == null) {
      call.cancel(); // ended by an error: stop whatever the upstream still sends
    }
  }

  private void onClientGone() {
    if (over) {
      return;
    }
    over = true;
    keepalive.stop();
    call.cancel();
    metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null,
        finish == null || finish.usage() == null ? null : Usage.of(finish.usage()), true, generated::tokens);
  }
}

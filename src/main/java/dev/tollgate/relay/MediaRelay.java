package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Usage;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of OpenAI's media endpoints: {@link Admission} (the reservation counts the units
 * asked for) → an OpenAI-format channel, failover before the answer → the answer, as the upstream
 * sent it → meter by the unit. Speech audio is relayed chunk by chunk as it arrives, with
 * back-pressure, never held whole; JSON and text answers are read whole (they are small, or
 * bounded by the images asked for) to count what they delivered before they go out.
 *
 * @param <R> the endpoint's decoded request
 */
public final class MediaRelay<R> {

  private static final Logger LOG = LoggerFactory.getLogger(MediaRelay.class);
  private static final Usage NO_TOKENS = new Usage(0, 0, 0, 0);

  private final MediaIngress<R> ingress;
  private final Admission admission;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Providers providers;
  private final Metering metering;
  private final UpstreamTimeouts timeouts;

  MediaRelay(MediaIngress<R> ingress, Admission admission, Vertx vertx, HttpClientAgent client, Providers providers,
      UpstreamTimeouts timeouts) {
    this.ingress = ingress;
    this.admission = admission;
    this.vertx = vertx;
    this.client = client;
    this.providers = providers;
    this.metering = admission.metering();
    this.timeouts = timeouts;
  }

  public void handle(RoutingContext rc) {
    admission.admit(rc, ingress, cx -> {
      MediaIngress.Stashed<R> stashed = rc.get(MediaIngress.REQUEST);
      attempt(rc, cx, stashed.request(), stashed.body(), null);
    });
  }

  private void attempt(RoutingContext rc, RelayContext cx, R request, byte[] clientBody, GatewayError last) {
    Channel channel = admission.nextChannel(rc, cx, ingress, last);
    if (channel == null) {
      return;
    }
    String upstreamModel = channel.upstreamModel(cx.request.model());
    Optional<Provider> provider = providers.find(channel.type());
    Optional<String> url = provider.flatMap(p -> p.mediaUrl(channel.baseUrl(), upstreamModel, ingress.operation()));
    if (url.isEmpty()) {
      LOG.error("channel {} has type '{}', which does not serve {}", channel.id(), channel.type(), ingress.operation());
      cx.attempts.abandoned(Attempts.UNSUPPORTED);
      attempt(rc, cx, request, clientBody, GatewayError.of(ErrorCode.NO_AVAILABLE_NODE,
          "no channel for this model can serve " + ingress.operation().path()));
      return;
    }
    cx.channel = channel;
    cx.upstreamModel = upstreamModel;
    MultiMap headers = UpstreamHeaders.forChannel(provider.get(), channel, ingress.accept(),
        Map.of(HttpHeaders.CONTENT_TYPE.toString(), ingress.upstreamContentType(rc)));
    UpstreamCall call = new UpstreamCall(vertx,
        timeouts.forChannel(channel.timeouts()).firstByteAtMost(cx.attempts.remainingMs()));
    cx.clientGone = call::cancel;
    call.send(client, url.get(), headers, ingress.upstreamBody(request, clientBody, upstreamModel))
        .onSuccess(upstream -> {
          cx.markFirstByte();
          int status = upstream.statusCode();
          if (status >= 400) {
            upstream.body().onComplete(body -> {
              call.finish();
              if (body.failed()) {
                attempt(rc, cx, request, clientBody, UpstreamOutcomes.callFailed(rc, cx, call, body.cause()));
              } else {
                upstreamError(rc, cx, request, clientBody, upstream, body.result().getBytes());
              }
            });
          } else if (ingress.streamsAnswer()) {
            relayStream(rc, cx, call, upstream, request);
          } else {
            relayWhole(rc, cx, call, upstream, request, clientBody);
          }
        })
        .onFailure(err -> attempt(rc, cx, request, clientBody, UpstreamOutcomes.callFailed(rc, cx, call, err)));
  }

  private void upstreamError(RoutingContext rc, RelayContext cx, R request, byte[] clientBody,
      HttpClientResponse upstream, byte[] body) {
    int status = upstream.statusCode();
    UpstreamOutcomes.Decision decision = UpstreamOutcomes.errorAnswer(cx, status, body);
    switch (decision.next()) {
      case TRY_NEXT -> attempt(rc, cx, request, clientBody, decision.error());
      case REJECT -> reject(rc, cx, decision.error());
      case TO_CLIENT -> UpstreamOutcomes.tellClient(rc, cx, metering, upstream, status, body, true,
          error -> reject(rc, cx, error));
    }
  }

  /** A small answer, read whole: what it delivered is counted, metered, then it goes out as it came. */
  private void relayWhole(RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, R request,
      byte[] clientBody) {
    int status = upstream.statusCode();
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    upstream.body().onComplete(result -> {
      call.finish();
      if (result.failed()) {
        attempt(rc, cx, request, clientBody, UpstreamOutcomes.callFailed(rc, cx, call, result.cause()));
        return;
      }
      byte[] answer = result.result().getBytes();
      MediaIngress.Delivered delivered;
      try {
        delivered = ingress.deliveredByAnswer(request, answer, contentType);
      } catch (GatewayError.Failure unreadable) { // nothing reached the client yet: another channel may do better
        LOG.warn("request {}: channel {} answered {} unreadably: {}", cx.requestId, cx.channel.id(),
            ingress.operation(), unreadable.error().message());
        cx.attempts.failed(Attempts.UNREADABLE);
        attempt(rc, cx, request, clientBody, unreadable.error());
        return;
      }
      cx.attempts.answered(status);
      bill(cx, delivered);
      HttpServerResponse response = rc.response();
      // Metered before the answer goes out: whatever a client has received is on record.
      metering.record(cx, response.closed() ? UpstreamOutcomes.CLIENT_CLOSED : status, null,
          delivered.tokens() == null ? NO_TOKENS : delivered.tokens(), true, Metering.NOTHING);
      if (!response.closed()) {
        response.setStatusCode(status)
            .putHeader(HttpHeaders.CONTENT_TYPE, contentType == null ? ingress.fallbackContentType(request) : contentType)
            .end(Buffer.buffer(answer));
      }
    });
  }

  /**
   * Audio relayed as it arrives; the upstream is paused whenever the client is slower. Billed by
   * the request (the upstream bills the whole input once it answered), so a client that leaves
   * early is charged what the upstream charged.
   */
  private void relayStream(RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, R request) {
    int status = upstream.statusCode();
    cx.attempts.answered(status);
    bill(cx, ingress.deliveredByRequest(request));
    HttpServerResponse response = rc.response();
    cx.clientGone = () -> {
      call.cancel();
      metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null, NO_TOKENS, true, Metering.NOTHING);
    };
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType == null ? ingress.fallbackContentType(request) : contentType)
        .setChunked(true);
    upstream.handler(chunk -> {
      call.activity();
      response.write(chunk);
      if (response.writeQueueFull()) {
        upstream.pause();
        response.drainHandler(v -> upstream.resume());
      }
    });
    upstream.exceptionHandler(err -> {
      call.finish();
      if (response.closed()) {
        return; // the client left first: clientGone metered it
      }
      LOG.warn("request {}: channel {} broke off the {} answer: {}", cx.requestId, cx.channel.id(), ingress.operation(),
          err.toString());
      metering.record(cx, 502, ErrorCode.UPSTREAM_ERROR, NO_TOKENS, true, Metering.NOTHING);
      response.reset(); // the client must not take a cut-off file for a whole one
    });
    upstream.endHandler(v -> {
      call.finish();
      metering.record(cx, status, null, NO_TOKENS, true, Metering.NOTHING);
      if (!response.closed()) {
        response.end();
      }
    });
  }

  private static void bill(RelayContext cx, MediaIngress.Delivered delivered) {
    cx.billedUnits = delivered.units();
    cx.unitsEstimated = delivered.estimated();
  }

  private void reject(RoutingContext rc, RelayContext cx, GatewayError error) {
    admission.reject(rc, cx, ingress, error);
  }
}

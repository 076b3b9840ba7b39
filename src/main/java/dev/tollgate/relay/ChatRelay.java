package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat request pipeline, top to bottom — {@link Admission} (authenticate, read the client's
 * protocol, authorize, route, limits, quota) → upstream call (failover before the first byte) →
 * relay the answer → meter.
 * Same protocol in and out: the body goes upstream with only the model edited and the answer
 * comes back byte for byte. Otherwise the request and the answer (streams included) are converted
 * through the canonical model by the two protocols' codecs.
 */
public final class ChatRelay {

  private static final Logger LOG = LoggerFactory.getLogger(ChatRelay.class);

  private final Ingress ingress;
  private final Admission admission;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Providers providers;
  private final Codecs codecs;
  private final ImageFetcher images;
  private final Metering metering;
  private final UpstreamTimeouts timeouts;
  private final ToolCallSignatures signatures;
  private final StreamSettings streams;

  ChatRelay(
      Ingress ingress,
      Admission admission,
      Vertx vertx,
      HttpClientAgent client,
      Providers providers,
      Codecs codecs,
      ImageFetcher images,
      UpstreamTimeouts timeouts,
      ToolCallSignatures signatures,
      StreamSettings streams) {
    this.ingress = ingress;
    this.admission = admission;
    this.vertx = vertx;
    this.client = client;
    this.providers = providers;
    this.codecs = codecs;
    this.images = images;
    this.metering = admission.metering();
    this.timeouts = timeouts;
    this.signatures = signatures;
    this.streams = streams;
  }

  public void handle(RoutingContext rc) {
    admission.admit(rc, ingress, cx -> attempt(rc, cx, null));
  }

  /**
   * Tries candidates in order until one answers; errors before the first byte move on, within the
   * attempts and the deadline {@link Attempts} allows.
   */
  private void attempt(RoutingContext rc, RelayContext cx, GatewayError last) {
    Channel channel = admission.nextChannel(rc, cx, ingress, last);
    if (channel == null) {
      return;
    }
    Optional<Provider> provider = providers.find(channel.type());
    // Same protocol: passthrough. Another one: convert through the hub, if a codec speaks it.
    boolean passthrough = provider.isPresent() && cx.request.passesThroughTo(provider.get().protocol());
    Optional<ChatCodec> egress = provider.isEmpty() || passthrough
        ? Optional.empty()
        : codecs.find(provider.get().protocol()).filter(codec -> codecs.find(ingress.protocol()).isPresent());
    if (provider.isEmpty() || (!passthrough && egress.isEmpty())) {
      LOG.error("channel {} has type '{}', which cannot serve {} requests", channel.id(), channel.type(), ingress.protocol());
      cx.attempts.abandoned(Attempts.UNSUPPORTED);
      attempt(rc, cx, GatewayError.of(ErrorCode.NO_AVAILABLE_NODE, "no channel for this model is usable"));
      return;
    }
    cx.channel = channel;
    cx.upstreamModel = channel.upstreamModel(cx.request.model());
    upstreamBody(cx, provider.get(), egress)
        .onSuccess(encoded -> {
          showDroppedParams(rc, cx, egress, encoded);
          send(rc, cx, provider.get(), egress, encoded.body());
        })
        .onFailure(err -> {
          if (!(err instanceof GatewayError.Failure)) {
            LOG.error("request {}: converting the request for channel {} failed", cx.requestId, channel.id(), err);
          }
          DroppedParams.show(rc.response(), List.of()); // an earlier channel's conversion is not this answer's
          cx.attempts.abandoned(Attempts.UNCONVERTIBLE);
          reject(rc, cx, GatewayError.from(err)); // the request cannot be expressed for this upstream
        });
  }

  /**
   * The body for the upstream: the client's own bytes (passthrough), or the conversion — after
   * fetching image URLs when the upstream only takes bytes — with what it left out. Fails with
   * the client's error (a 400) when the request cannot be expressed for this upstream.
   */
  private Future<ChatCodec.EncodedRequest> upstreamBody(RelayContext cx, Provider provider, Optional<ChatCodec> egress) {
    try {
      if (egress.isEmpty()) {
        return Future.succeededFuture(ChatCodec.EncodedRequest.whole(cx.request.upstreamBody(cx.upstreamModel)));
      }
      ChatCodec codec = egress.get();
      if (provider.acceptsImageUrls()) {
        return Future.succeededFuture(codec.encodeRequest(withSignatures(cx, codec, canonical(cx)), cx.upstreamModel));
      }
      return cx.request.withInlineImages(images)
          .map(inlined -> codec.encodeRequest(withSignatures(cx, codec, inlined), cx.upstreamModel));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Tells the client, before any byte of the answer, what the conversion for this channel left out. */
  private void showDroppedParams(
      RoutingContext rc, RelayContext cx, Optional<ChatCodec> egress, ChatCodec.EncodedRequest encoded) {
    List<String> dropped = egress.isEmpty()
        ? List.of()
        : DroppedParams.of(canonical(cx), encoded, ingressCodec(), cx.request.sameProtocolHeaders());
    if (!dropped.isEmpty()) {
      LOG.debug("request {}: converting for channel {} dropped {}", cx.requestId, cx.channel.id(), dropped);
    }
    DroppedParams.show(rc.response(), dropped);
  }

  /** Gemini wants the thought signatures it issued back on the calls the client echoes (§5.6). */
  private ChatRequest withSignatures(RelayContext cx, ChatCodec egress, ChatRequest request) {
    return egress.protocol() == WireProtocol.GEMINI ? signatures.restore(cx.key, request) : request;
  }

  private void send(
      RoutingContext rc, RelayContext cx, Provider provider, Optional<ChatCodec> egress, byte[] upstreamBody) {
    Channel channel = cx.channel;
    MultiMap headers = UpstreamHeaders.forChannel(provider, channel,
        cx.request.stream() ? "text/event-stream" : "application/json",
        // e.g. the client's anthropic-version and betas
        provider.protocol() == cx.request.protocol() ? cx.request.sameProtocolHeaders() : Map.of());
    String url = provider.chatUrl(channel.baseUrl(), cx.upstreamModel, cx.request.stream());

    UpstreamCall call = new UpstreamCall(vertx,
        timeouts.forChannel(channel.timeouts()).firstByteAtMost(cx.attempts.remainingMs()));
    cx.clientGone = call::cancel;
    // The channel's parameter overrides go in last: they win over the client's and the conversion's.
    call.send(client, url, headers, channel.paramOverrides().applyTo(upstreamBody))
        .onSuccess(upstream -> {
          cx.markFirstByte();
          int status = upstream.statusCode();
          if (status >= 400) { // nothing reached the client yet: what went wrong decides what follows
            upstream.body().onComplete(body -> {
              call.finish();
              if (body.failed()) {
                failedBeforeAnswer(rc, cx, call, body.cause());
              } else {
                onUpstreamError(rc, cx, upstream, status, body.result().getBytes(), egress);
              }
            });
            return;
          }
          boolean streamed = status < 300 && cx.request.stream() && isEventStream(upstream);
          if (egress.isEmpty()) {
            onResponse(rc, cx, call, upstream, streamed);
          } else {
            onConvertedResponse(rc, cx, call, upstream, streamed, egress.get());
          }
        })
        .onFailure(err -> failedBeforeAnswer(rc, cx, call, err));
  }

  /** The call failed before anything reached the client: the next channel may do better. */
  private void failedBeforeAnswer(RoutingContext rc, RelayContext cx, UpstreamCall call, Throwable err) {
    attempt(rc, cx, UpstreamOutcomes.callFailed(rc, cx, call, err));
  }

  private void onUpstreamError(
      RoutingContext rc, RelayContext cx, HttpClientResponse upstream, int status, byte[] body,
      Optional<ChatCodec> egress) {
    UpstreamOutcomes.Decision decision = UpstreamOutcomes.errorAnswer(cx, status, body);
    switch (decision.next()) {
      case TRY_NEXT -> attempt(rc, cx, decision.error());
      case REJECT -> reject(rc, cx, decision.error());
      case TO_CLIENT -> toClient(rc, cx, upstream, status, body, egress);
    }
  }

  /** An upstream's error for the client: as sent (same protocol), or re-told in the client's protocol. */
  private void toClient(
      RoutingContext rc, RelayContext cx, HttpClientResponse upstream, int status, byte[] body,
      Optional<ChatCodec> egress) {
    UpstreamOutcomes.tellClient(rc, cx, metering, upstream, status, body, egress.isEmpty(), error -> reject(rc, cx, error));
  }

  private static boolean isEventStream(HttpClientResponse upstream) {
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
  }

  /** A same-protocol answer: relayed as the upstream sent it. */
  private void onResponse(
      RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, boolean streamed) {
    if (streamed) {
      cx.attempts.answered(upstream.statusCode());
      StreamKeepalive keepalive = StreamKeepalive.start(vertx, rc.response(), streams.keepaliveMs(),
          ChatCodec.StreamEncoder.SSE_KEEPALIVE.getBytes(StandardCharsets.US_ASCII)); // passthrough streams are SSE
      new StreamRelay(rc, cx, call, upstream, metering, streams.maxEventBytes(), keepalive).start();
      return;
    }
    int status = upstream.statusCode();
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    upstream.body().onComplete(result -> {
      call.finish();
      if (result.failed()) {
        failedBeforeAnswer(rc, cx, call, result.cause());
        return;
      }
      byte[] bytes = result.result().getBytes();
      boolean success = status < 300;
      Usage usage = null;
      if (success) {
        Passthrough.AnswerFacts facts = cx.request.meter().readAnswer(bytes);
        if (!facts.wellFormed()) {
          // Nothing has reached the client yet: garbage counts as a failed attempt.
          cx.attempts.failed(Attempts.UNREADABLE);
          attempt(rc, cx,
              GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream answered with something that is not a JSON object"));
          return;
        }
        usage = facts.usage();
      }
      cx.attempts.answered(status);
      HttpServerResponse response = rc.response();
      if (response.closed()) {
        metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null, usage, success,
            () -> metering.estimator().count(cx.request.meter().answerText(bytes)));
        return;
      }
      // Metered before the answer goes out: whatever a client has received is on record.
      metering.record(cx, status, success ? null : ErrorCode.INVALID_REQUEST, usage, success,
          () -> metering.estimator().count(cx.request.meter().answerText(bytes)));
      response.setStatusCode(status);
      response.putHeader(HttpHeaders.CONTENT_TYPE, contentType == null ? "application/json" : contentType);
      UpstreamOutcomes.copyRetryHints(upstream, response);
      response.end(Buffer.buffer(bytes));
    });
  }

  private ChatRequest canonical(RelayContext cx) {
    return cx.request.canonical();
  }

  private ChatCodec ingressCodec() {
    return codecs.find(ingress.protocol()).orElseThrow();
  }

  /** An answer from an upstream of another protocol, told to the client in OpenAI's. */
  private void onConvertedResponse(
      RoutingContext rc, RelayContext cx, UpstreamCall call, HttpClientResponse upstream, boolean streamed,
      ChatCodec egress) {
    int status = upstream.statusCode();
    if (streamed) {
      cx.attempts.answered(status);
      ChatCodec.StreamEncoder encoder = ingressCodec().newStreamEncoder(
          cx.request.canonical(),
          new ChatCodec.StreamOptions(cx.request.clientWantsUsage(), cx.request.jsonArray(), cx.request.reasoningText()));
      StreamKeepalive keepalive = StreamKeepalive.start(vertx, rc.response(), streams.keepaliveMs(), encoder.keepalive());
      new ConvertedStreamRelay(rc, cx, call, upstream, metering, egress.newStreamDecoder(cx.request.canonical()), encoder, signatures, keepalive)
          .start();
      return;
    }
    upstream.body().onComplete(result -> {
      call.finish();
      if (result.failed()) {
        failedBeforeAnswer(rc, cx, call, result.cause());
        return;
      }
      byte[] bytes = result.result().getBytes();
      if (status >= 300) {
        cx.attempts.answered(status);
        reject(rc, cx, UpstreamErrors.fromStatus(status, bytes));
        return;
      }
      ChatResponse answer;
      try {
        answer = egress.decodeResponse(bytes, cx.request.canonical());
      } catch (RuntimeException e) {
        cx.attempts.failed(Attempts.UNREADABLE);
        attempt(rc, cx, GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream's answer could not be read"));
        return;
      }
      signatures.remember(cx.key, answer);
      cx.attempts.answered(status);
      byte[] converted;
      try {
        converted = ingressCodec().encodeResponse(
            answer, cx.request.model(), new ChatCodec.AnswerOptions(cx.request.reasoningText()));
      } catch (RuntimeException bug) {
        LOG.error("request {}: converting the answer failed", cx.requestId, bug);
        reject(rc, cx, GatewayError.of(ErrorCode.INTERNAL_ERROR, "internal error; the gateway logged the details"));
        return;
      }
      Usage usage = answer.usage() == null ? null : Usage.of(answer.usage());
      if (rc.response().closed()) {
        metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null, usage, true, () -> metering.estimator().count(CanonicalText.answer(answer)));
        return;
      }
      metering.record(cx, 200, null, usage, true, () -> metering.estimator().count(CanonicalText.answer(answer)));
      rc.response()
          .setStatusCode(200)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(Buffer.buffer(converted));
    });
  }

  private void reject(RoutingContext rc, RelayContext cx, GatewayError error) {
    admission.reject(rc, cx, ingress, error);
  }
}

package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.embeddings.EmbeddingRequest;
import dev.tollgate.protocol.embeddings.EmbeddingResponse;
import dev.tollgate.protocol.embeddings.GeminiEmbeddings;
import dev.tollgate.protocol.embeddings.OpenAiEmbeddings;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddings pipeline: {@link Admission} → upstream call(s), with failover before the answer →
 * the answer → meter. An upstream of the client's protocol gets the client's own body, model
 * renamed, and its answer is passed on as it came; another protocol's gets a conversion through
 * the canonical embeddings model — split into several calls when the upstream takes fewer inputs
 * per call than the client sent, the answers joined in input order.
 */
public final class EmbeddingRelay {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingRelay.class);

  private final EmbeddingIngress ingress;
  private final Admission admission;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Providers providers;
  private final Metering metering;
  private final UpstreamTimeouts timeouts;

  EmbeddingRelay(EmbeddingIngress ingress, Admission admission, Vertx vertx, HttpClientAgent client, Providers providers,
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
    admission.admit(rc, ingress, cx -> attempt(rc, cx, rc.get(EmbeddingIngress.REQUEST), null));
  }

  /** One upstream exchange's outcome: an answer with its status, or the failure of the call. */
  private record Reply(UpstreamCall call, HttpClientResponse upstream, byte[] body, Throwable failure) {
    boolean ok() {
      return failure == null && upstream.statusCode() < 300;
    }
  }

  private void attempt(RoutingContext rc, RelayContext cx, EmbeddingIngress.Embedding embedding, GatewayError last) {
    Channel channel = admission.nextChannel(rc, cx, ingress, last);
    if (channel == null) {
      return;
    }
    String upstreamModel = channel.upstreamModel(cx.request.model());
    Optional<Provider> provider = providers.find(channel.type());
    Optional<String> url = provider.flatMap(p -> p.embeddingsUrl(channel.baseUrl(), upstreamModel));
    if (url.isEmpty()) {
      LOG.error("channel {} has type '{}', which serves no embeddings", channel.id(), channel.type());
      cx.attempts.abandoned(Attempts.UNSUPPORTED);
      attempt(rc, cx, embedding, GatewayError.of(ErrorCode.NO_AVAILABLE_NODE,
          "no channel for this model can serve embeddings"));
      return;
    }
    cx.channel = channel;
    cx.upstreamModel = upstreamModel;
    WireProtocol upstreamProtocol = provider.get().protocol();
    boolean sameProtocol = upstreamProtocol == ingress.protocol();
    List<byte[]> bodies;
    try {
      bodies = sameProtocol
          ? List.of(ingress.sameProtocolBody(embedding, upstreamModel))
          : upstreamBodies(upstreamProtocol, embedding.request(), upstreamModel);
    } catch (GatewayError.Failure failure) { // the request cannot be expressed for this upstream
      cx.attempts.abandoned(Attempts.UNCONVERTIBLE);
      reject(rc, cx, failure.error());
      return;
    }
    MultiMap headers = UpstreamHeaders.forChannel(provider.get(), channel, "application/json", Map.of());
    exchange(cx, url.get(), headers, bodies).onSuccess(done -> {
      Reply culprit = done.failure();
      if (culprit == null) {
        answer(rc, cx, embedding, upstreamProtocol, sameProtocol, done.replies());
      } else if (culprit.failure() != null) {
        attempt(rc, cx, embedding, UpstreamOutcomes.callFailed(rc, cx, culprit.call(), culprit.failure()));
      } else {
        upstreamError(rc, cx, embedding, culprit, sameProtocol && bodies.size() == 1);
      }
    });
  }

  /** The conversion for an upstream of another protocol: one body per call it takes. */
  private static List<byte[]> upstreamBodies(WireProtocol protocol, EmbeddingRequest request, String upstreamModel) {
    return switch (protocol) {
      case OPENAI -> List.of(OpenAiEmbeddings.encodeRequest(request, upstreamModel));
      case GEMINI -> GeminiEmbeddings.encodeBatchRequests(request, upstreamModel);
      case ANTHROPIC -> throw new GatewayError.Failure(GatewayError.of(ErrorCode.NO_AVAILABLE_NODE,
          "no channel for this model can serve embeddings"));
    };
  }

  /**
   * Sends every body at once and completes when all have answered. The first to fail stops the
   * others (their answers could not be used) and is the exchange's outcome.
   */
  private Future<Exchange> exchange(RelayContext cx, String url, MultiMap headers, List<byte[]> bodies) {
    UpstreamTimeouts limits = timeouts.forChannel(cx.channel.timeouts()).firstByteAtMost(cx.attempts.remainingMs());
    List<UpstreamCall> calls = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      calls.add(new UpstreamCall(vertx, limits));
    }
    cx.clientGone = () -> calls.forEach(UpstreamCall::cancel);
    List<Future<Reply>> replies = new ArrayList<>(bodies.size());
    Reply[] firstFailure = {null};
    for (int i = 0; i < bodies.size(); i++) {
      UpstreamCall call = calls.get(i);
      replies.add(call.send(client, url, headers, bodies.get(i))
          .compose(upstream -> {
            cx.markFirstByte();
            return upstream.body().map(body -> new Reply(call, upstream, body.getBytes(), null));
          })
          .recover(err -> Future.succeededFuture(new Reply(call, null, null, err)))
          .map(reply -> {
            call.finish();
            if (!reply.ok() && firstFailure[0] == null) { // the calls it stops fail as cancelled: not the cause
              firstFailure[0] = reply;
              calls.forEach(other -> {
                if (other != call) {
                  other.cancel();
                }
              });
            }
            return reply;
          }));
    }
    return Future.join(replies).map(ignored -> new Exchange(replies.stream().map(Future::result).toList(), firstFailure[0]));
  }

  /** Every call's reply, in body order, and the failure that decided the exchange (null when none failed). */
  private record Exchange(List<Reply> replies, Reply failure) {}

  /** Every call answered 2xx: read the answers, tell the client, meter. */
  private void answer(RoutingContext rc, RelayContext cx, EmbeddingIngress.Embedding embedding,
      WireProtocol upstreamProtocol, boolean sameProtocol, List<Reply> replies) {
    EmbeddingRequest request = embedding.request();
    byte[] forClient;
    EmbeddingResponse response;
    try {
      if (sameProtocol) {
        EmbeddingIngress.SameProtocolAnswer same = ingress.sameProtocolAnswer(replies.get(0).body(), request);
        forClient = same.forClient();
        response = same.decoded();
      } else {
        List<EmbeddingResponse> parts = new ArrayList<>(replies.size());
        for (Reply reply : replies) {
          parts.add(decode(upstreamProtocol, reply.body()));
        }
        response = EmbeddingResponse.concat(parts).requireOnePerInput(request);
        forClient = null;
      }
    } catch (GatewayError.Failure unreadable) { // nothing reached the client yet: the next channel may do better
      LOG.warn("request {}: channel {} answered embeddings that cannot be read: {}", cx.requestId, cx.channel.id(),
          unreadable.error().message());
      cx.attempts.failed(Attempts.UNREADABLE);
      attempt(rc, cx, embedding, unreadable.error());
      return;
    }
    cx.attempts.answered(200);
    Usage usage;
    boolean estimated = response.promptTokens() == null;
    if (estimated) { // Gemini reports none: the gateway counts, and tells an OpenAI client its count
      usage = new Usage(metering.estimator().count(OpenAiEmbeddings.inputText(request))
          + OpenAiEmbeddings.tokenCount(request), 0, 0, 0);
    } else {
      usage = new Usage(response.promptTokens(), 0, 0, 0);
    }
    if (forClient == null) {
      try {
        forClient = ingress.encodeAnswer(response, request, usage.promptTokens());
      } catch (RuntimeException bug) {
        LOG.error("request {}: converting the embeddings answer failed", cx.requestId, bug);
        reject(rc, cx, GatewayError.of(ErrorCode.INTERNAL_ERROR, "internal error; the gateway logged the details"));
        return;
      }
    }
    int status = rc.response().closed() ? UpstreamOutcomes.CLIENT_CLOSED : 200;
    // Metered before the answer goes out: whatever a client has received is on record.
    if (estimated) {
      metering.recordEstimated(cx, status, usage);
    } else {
      metering.record(cx, status, null, usage, true, Metering.NOTHING);
    }
    if (!rc.response().closed()) {
      rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(forClient));
    }
  }

  private static EmbeddingResponse decode(WireProtocol protocol, byte[] body) {
    return switch (protocol) {
      case OPENAI -> OpenAiEmbeddings.decodeResponse(body);
      case GEMINI -> GeminiEmbeddings.decodeBatchResponse(body);
      case ANTHROPIC -> throw new IllegalStateException("no embeddings are asked of Anthropic");
    };
  }

  private void upstreamError(RoutingContext rc, RelayContext cx, EmbeddingIngress.Embedding embedding, Reply reply,
      boolean passOn) {
    int status = reply.upstream().statusCode();
    if (status < 400) { // a redirect or the like: no embeddings in it
      cx.attempts.failed(Attempts.UNREADABLE);
      attempt(rc, cx, embedding, GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream answered HTTP " + status));
      return;
    }
    UpstreamOutcomes.Decision decision = UpstreamOutcomes.errorAnswer(cx, status, reply.body());
    switch (decision.next()) {
      case TRY_NEXT -> attempt(rc, cx, embedding, decision.error());
      case REJECT -> reject(rc, cx, decision.error());
      case TO_CLIENT -> UpstreamOutcomes.tellClient(rc, cx, metering, reply.upstream(), status, reply.body(), passOn,
          error -> reject(rc, cx, error));
    }
  }

  private void reject(RoutingContext rc, RelayContext cx, GatewayError error) {
    admission.reject(rc, cx, ingress, error);
  }
}

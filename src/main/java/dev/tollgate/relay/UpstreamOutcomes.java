package dev.tollgate.relay;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an upstream call that went wrong before anything reached the client means for the request,
 * recorded on its attempts — the same for every endpoint (chat, embeddings): whose fault it was
 * decides whether the next channel is tried, the client is told, or the channel is disabled.
 */
final class UpstreamOutcomes {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamOutcomes.class);
  /** Status recorded when the client went away first (nginx's convention). */
  static final int CLIENT_CLOSED = 499;
  private static final List<String> RETRY_HINTS = List.of("retry-after", "retry-after-ms");

  private UpstreamOutcomes() {}

  /** What to do after an error answer. */
  enum Next {
    /** Another channel may do better: try it (the error is the one to tell if none does). */
    TRY_NEXT,
    /** The answer is the client's to hear, as the upstream worded it or re-told in its protocol. */
    TO_CLIENT,
    /** End the request with the error. */
    REJECT
  }

  record Decision(Next next, GatewayError error) {}

  /**
   * The call failed without an answer (connect, timeout, cut): the error to go on with. A call
   * cancelled because the client left is not the channel's fault.
   */
  static GatewayError callFailed(RoutingContext rc, RelayContext cx, UpstreamCall call, Throwable err) {
    GatewayError error = classify(err, call);
    if (rc.response().closed()) {
      cx.attempts.abandoned(Attempts.CANCELLED);
    } else {
      LOG.warn("request {}: channel {} failed before answering: {}", cx.requestId, cx.channel.id(), error.message());
      cx.attempts.failed(switch (error.code()) {
        case UPSTREAM_TIMEOUT -> Attempts.TIMEOUT;
        case NO_AVAILABLE_NODE -> Attempts.CONNECT;
        default -> Attempts.CONNECTION;
      });
    }
    return error;
  }

  /**
   * An error answer (4xx, 5xx). The client's fault is told to the client; the upstream's moves on
   * to the next channel; a channel that cannot work (its key refused, its account closed or
   * empty) is disabled, and the client never hears that a key was invalid.
   */
  static Decision errorAnswer(RelayContext cx, int status, byte[] body) {
    UpstreamVerdict verdict = UpstreamVerdict.of(status, body, cx.channel.secrets().all());
    return switch (verdict.kind()) {
      case CHANNEL_UNUSABLE -> {
        cx.attempts.unusable(status, verdict.channelFault());
        if (cx.attempts.ownKeys()) { // the caller's own key: theirs to mend, and no shared key stands in for it
          yield new Decision(Next.REJECT, GatewayError.of(ErrorCode.FORBIDDEN, "the upstream refused your own "
              + cx.channel.type() + " provider key (HTTP " + status + "); check it at /api/user/providers"));
        }
        yield new Decision(Next.TRY_NEXT,
            GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream refused the gateway's credentials"));
      }
      case UPSTREAM_FAILURE, RATE_LIMITED -> {
        boolean retry = cx.attempts.mayRetry();
        cx.attempts.failed(status);
        if (retry || verdict.kind() == UpstreamVerdict.Kind.UPSTREAM_FAILURE) {
          yield new Decision(Next.TRY_NEXT, GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream failed with HTTP " + status));
        }
        yield new Decision(Next.TO_CLIENT, null); // the last 429: the client learns when to retry
      }
      case CLIENT_ERROR -> {
        cx.attempts.answered(status);
        yield new Decision(Next.TO_CLIENT, null);
      }
    };
  }

  /**
   * An upstream's error answer that is the client's to hear: passed on as the upstream worded it
   * when it speaks the client's protocol (a 4xx is the client's problem; a 429, the answer once
   * every channel is busy), re-told in the client's protocol by {@code reject} otherwise.
   */
  static void tellClient(
      RoutingContext rc, RelayContext cx, Metering metering, HttpClientResponse upstream, int status, byte[] body,
      boolean sameProtocol, Consumer<GatewayError> reject) {
    HttpServerResponse response = rc.response();
    if (!response.closed()) {
      copyRetryHints(upstream, response);
    }
    if (!sameProtocol) {
      reject.accept(UpstreamErrors.fromStatus(status, body));
      return;
    }
    if (response.closed()) {
      metering.record(cx, CLIENT_CLOSED, null, null, false, Metering.NOTHING);
      return;
    }
    metering.record(cx, status, status == 429 ? ErrorCode.RATE_LIMITED : ErrorCode.INVALID_REQUEST, null, false,
        Metering.NOTHING);
    String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
    response.setStatusCode(status);
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType == null ? "application/json" : contentType);
    response.end(Buffer.buffer(body));
  }

  /** SDKs wait as long as these say before retrying a 429 or 503; the upstream knows best. */
  static void copyRetryHints(HttpClientResponse upstream, HttpServerResponse response) {
    for (String name : RETRY_HINTS) {
      String value = upstream.getHeader(name);
      if (value != null) {
        response.putHeader(name, value);
      }
    }
  }

  /** What a call that failed without an answer means. */
  static GatewayError classify(Throwable err, UpstreamCall call) {
    // TimeoutException: no connection within a channel's own connect timeout (RequestOptions).
    if (call.timedOut() || err instanceof UpstreamTimeoutException || err instanceof ConnectTimeoutException
        || err instanceof TimeoutException) {
      return GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "the upstream did not answer in time");
    }
    if (err instanceof ConnectException || err instanceof NoRouteToHostException || err instanceof UnknownHostException) {
      return GatewayError.of(ErrorCode.NO_AVAILABLE_NODE, "no upstream channel for this model could be reached");
    }
    return GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream connection failed");
  }
}

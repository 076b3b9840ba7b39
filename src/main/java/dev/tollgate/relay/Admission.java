package dev.tollgate.relay;

import dev.tollgate.account.Caller;
import dev.tollgate.channel.Channel;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every relayed request goes through before its first upstream call, whatever the endpoint
 * (chat, embeddings): authenticate → read (the endpoint's {@link Ingress}) → authorize the model →
 * route → rate limits → quota. A stage that says no ends the request with an error in the
 * client's protocol, metered. The endpoint takes over once the request is admitted, its channels
 * to try in {@link RelayContext#attempts}.
 */
final class Admission {

  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  private final Authentication authentication;
  private final ChannelRouter router;
  private final Failover failover;
  private final Metering metering;
  private final QuotaGate quota;
  private final RateGate rates;
  private final InFlight inFlight;
  private final Clock clock;

  Admission(Authentication authentication, ChannelRouter router, Failover failover, Metering metering, QuotaGate quota,
      RateGate rates, InFlight inFlight, Clock clock) {
    this.authentication = authentication;
    this.router = router;
    this.failover = failover;
    this.metering = metering;
    this.quota = quota;
    this.rates = rates;
    this.inFlight = inFlight;
    this.clock = clock;
  }

  Metering metering() {
    return metering;
  }

  /** Runs the stages; {@code admitted} gets the request once every one let it through. */
  void admit(RoutingContext rc, Ingress ingress, Consumer<RelayContext> admitted) {
    RelayContext cx = new RelayContext(RequestIds.next(), clock.instant(), System.nanoTime(), ingress.protocol());
    HttpServerResponse response = rc.response();
    response.putHeader("x-request-id", cx.requestId);
    if (!inFlight.enter()) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      reject(rc, cx, ingress, GatewayError.of(ErrorCode.SHUTTING_DOWN, "the gateway is shutting down; retry on another node"));
      return;
    }
    Runnable exit = once(inFlight::exit);
    response.endHandler(v -> {
      exit.run();
      metering.releaseUnsettled(cx);
    });
    response.closeHandler(v -> {
      exit.run();
      if (cx.clientGone != null) {
        cx.clientGone.run();
      }
      metering.releaseUnsettled(cx); // after clientGone: what was generated is charged first
    });

    authentication.authenticate(rc.request())
        .onSuccess(key -> afterAuthentication(rc, cx, ingress, key, admitted))
        .onFailure(err -> reject(rc, cx, ingress, GatewayError.from(err)));
  }

  private void afterAuthentication(
      RoutingContext rc, RelayContext cx, Ingress ingress, Caller key, Consumer<RelayContext> admitted) {
    cx.key = key;
    GatewayError problem = read(rc, cx, ingress);
    if (problem == null) {
      problem = key.refusal(cx.request.model()).map(refusal -> GatewayError.of(ErrorCode.FORBIDDEN, refusal)).orElse(null);
    }
    if (problem != null) {
      reject(rc, cx, ingress, problem);
      return;
    }
    List<Channel> candidates = router.candidates(cx.request.model(), key.groupName());
    if (candidates.isEmpty()) {
      reject(rc, cx, ingress, GatewayError.of(ErrorCode.MODEL_NOT_FOUND,
          "the model '" + cx.request.model() + "' is not served by any channel"));
      return;
    }
    Optional<RoutingPolicy.Route> route = RoutingPolicy.route(key, candidates);
    if (route.isEmpty()) {
      reject(rc, cx, ingress, GatewayError.of(ErrorCode.FORBIDDEN, "the model '" + cx.request.model()
          + "' is blocked by routing policy: none of the providers serving it is allowed for this account"));
      return;
    }
    cx.ownKeys = route.get().ownKeys();
    rates.admit(rc.response(), cx).onComplete(limited -> {
      if (limited.failed()) { // a bug: the limiters answer every outcome, outages included
        LOG.error("request {}: the rate-limit stage failed", cx.requestId, limited.cause());
        reject(rc, cx, ingress, GatewayError.of(ErrorCode.INTERNAL_ERROR, "internal error; the gateway logged the details"));
      } else if (limited.result() != null) {
        reject(rc, cx, ingress, limited.result());
      } else {
        afterRateLimits(rc, cx, ingress, route.get(), admitted);
      }
    });
  }

  private void afterRateLimits(
      RoutingContext rc, RelayContext cx, Ingress ingress, RoutingPolicy.Route route, Consumer<RelayContext> admitted) {
    GatewayError refused = quota.admit(cx);
    if (refused != null) {
      reject(rc, cx, ingress, refused);
      return;
    }
    String remaining = quota.remainingHeader(cx);
    if (remaining != null) {
      rc.response().putHeader(QuotaGate.REMAINING_HEADER, remaining);
    }
    cx.attempts = cx.ownKeys
        ? failover.startWithOwnKeys(route.channels(), cx.startNanos)
        : failover.start(route.channels(), cx.startNanos);
    admitted.accept(cx);
  }

  private static GatewayError read(RoutingContext rc, RelayContext cx, Ingress ingress) {
    String contentTypeProblem = ingress.contentTypeProblem(rc.request().getHeader(HttpHeaders.CONTENT_TYPE));
    if (contentTypeProblem != null) {
      return GatewayError.invalid(null, contentTypeProblem);
    }
    byte[] body = ingress.body(rc);
    if (body == null || body.length == 0) {
      return GatewayError.invalid(null, "the request body is empty");
    }
    try {
      cx.attribution = AttributionHeaders.read(rc.request().headers());
      cx.request = ingress.read(rc, body);
      return null;
    } catch (GatewayError.Failure failure) {
      return failure.error();
    }
  }

  /**
   * The next channel to try, or null when the request is over: the client left (metered), or no
   * channel is left to try ({@code last} or the deadline's error told, in the client's protocol).
   */
  Channel nextChannel(RoutingContext rc, RelayContext cx, Ingress ingress, GatewayError last) {
    if (rc.response().closed()) {
      metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null, null, false, Metering.NOTHING);
      return null;
    }
    Channel channel = cx.attempts.next();
    if (channel == null) {
      reject(rc, cx, ingress, cx.attempts.finalError(last));
    }
    return channel;
  }

  /** Ends the request with an error in the client's protocol, and meters it when the key is known. */
  void reject(RoutingContext rc, RelayContext cx, Ingress ingress, GatewayError error) {
    HttpServerResponse response = rc.response();
    if (response.closed()) {
      metering.record(cx, UpstreamOutcomes.CLIENT_CLOSED, null, null, false, Metering.NOTHING);
      return;
    }
    int status = ingress.errorStatus(error);
    metering.record(cx, status, error.code(), null, false, Metering.NOTHING);
    if (!response.ended()) {
      response
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(Buffer.buffer(ingress.errorBody(error)));
    }
  }

  private static Runnable once(Runnable action) {
    boolean[] done = {false};
    return () -> {
      if (!done[0]) {
        done[0] = true;
        action.run();
      }
    };
  }
}

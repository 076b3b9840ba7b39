package dev.tollgate.relay;

import dev.tollgate.account.LastUseRecorder;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;

import dev.tollgate.account.Caller;
import dev.tollgate.account.KeyAuthenticator;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticate stage: the presented key must exist, be enabled and not expired. Fails with a
 * {@link GatewayError.Failure} the caller renders in its protocol.
 */
public final class Authentication {

  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);

  private final Vertx vertx;
  private final KeyAuthenticator keys;
  private final LastUseRecorder lastUse;
  private final Clock clock;

  public Authentication(Vertx vertx, KeyAuthenticator keys, LastUseRecorder lastUse, Clock clock) {
    this.vertx = vertx;
    this.keys = keys;
    this.lastUse = lastUse;
    this.clock = clock;
  }

  public Future<Caller> authenticate(HttpServerRequest request) {
    String presented = Credentials.presentedKey(request);
    if (presented == null) {
      return fail(ErrorCode.INVALID_API_KEY, "no API key given: send 'Authorization: Bearer sk-…' or 'x-api-key: sk-…'");
    }
    return lookUp(presented)
        .recover(err -> {
          // A database that does not answer is logged once by DatabaseMonitor, not per request.
          if (!(unwrap(err) instanceof KeyAuthenticator.StorageUnavailableException)) {
            LOG.warn("key look-up failed: {}", err.toString());
          }
          return fail(ErrorCode.STORAGE_UNAVAILABLE,
              "the gateway cannot check API keys right now (its database does not answer); retry shortly");
        })
        .compose(found -> found.isPresent() && found.get().isUsable(clock.instant())
            ? fromAllowedAddress(found.get(), request)
            : fail(ErrorCode.INVALID_API_KEY, "the API key is invalid, disabled or expired"));
  }

  /** A key restricted to some addresses ({@code allowIps}) is refused from any other. */
  private Future<Caller> fromAllowedAddress(Caller caller, HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    if (!caller.key().allowIps().isEmpty()) {
      InetAddress address = peer == null ? null : address(peer);
      if (address == null || !caller.key().allowedFrom(address)) {
        return fail(ErrorCode.FORBIDDEN, "this API key may not be used from "
            + (peer == null ? "an unknown address" : peer.hostAddress()) + " (the key's allowIps)");
      }
    }
    lastUse.used(caller.keyId(), clock.millis());
    return Future.succeededFuture(caller);
  }

  /** The peer's IP; never a name lookup (a literal is parsed, anything else is no address). */
  private static InetAddress address(SocketAddress peer) {
    String host = peer.hostAddress();
    if (host == null || host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return null; // a Unix socket or the like: no address to allow
    }
    try {
      return InetAddress.getByName(host);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  /** Cached keys answer at once on the event loop; a miss loads on a worker and comes back here. */
  private Future<Optional<Caller>> lookUp(String presented) {
    CompletableFuture<Optional<Caller>> lookup = keys.find(presented);
    if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
      return Future.succeededFuture(lookup.join());
    }
    return Future.fromCompletionStage(lookup, vertx.getOrCreateContext());
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static <T> Future<T> fail(ErrorCode code, String message) {
    return Future.failedFuture(new GatewayError.Failure(GatewayError.of(code, message)));
  }
}

package dev.tollgate.relay;

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
  private final Clock clock;

  public Authentication(Vertx vertx, KeyAuthenticator keys, Clock clock) {
    this.vertx = vertx;
    this.keys = keys;
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
            ? Future.succeededFuture(found.get())
            : fail(ErrorCode.INVALID_API_KEY, "the API key is invalid, disabled or expired"));
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

package dev.tollgate.api.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may use the admin API ({@code /api/*}). For now one shared token ({@link AdminTokenAuth});
 * the accounts issue puts users with roles behind this same interface.
 */
public interface AdminAuth {

  /** Succeeds when the request may administer the gateway; otherwise fails with a {@link Refusal}. */
  Future<Void> check(HttpServerRequest request);

  /** Why a request may not administer, as the HTTP status and message to answer with. */
  final class Refusal extends RuntimeException {
    private final int status;

    public Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}

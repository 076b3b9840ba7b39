package dev.tollgate.limit;

import io.vertx.core.Future;

/**
 * An admitted request's hold on its key's limits: its concurrency slot and the tokens counted for
 * it at admission. Released once, when the request ends, with the tokens it really used.
 */
@FunctionalInterface
public interface Permit {

  /** For requests no limit applies to. */
  Permit NONE = actualTokens -> Future.succeededFuture();

  /**
   * Frees the concurrency slot and corrects the token count by what the request really used.
   * Callers need not wait: the future says when the counters show it (tests wait), and never fails.
   */
  Future<Void> release(long actualTokens);
}

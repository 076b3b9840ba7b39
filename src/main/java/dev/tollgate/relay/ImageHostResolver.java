package dev.tollgate.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.List;

/**
 * Turns an image URL's host name into addresses, once per hop: the fetch checks these addresses
 * and connects to one of them, never resolving the name a second time.
 */
@FunctionalInterface
interface ImageHostResolver {

  /** The addresses of {@code host} (a name or an IP literal, without brackets); fails when unknown. */
  Future<List<InetAddress>> resolve(String host);

  /**
   * The JVM's resolver (hosts file, then DNS), on a worker thread so the event loop never waits.
   * Unordered: one slow name must not hold up the lookups of other fetches on the same loop.
   */
  static ImageHostResolver system(Vertx vertx) {
    return host -> vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(host)), false);
  }
}

package dev.tollgate.relay;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids for logs and usage records. Unique enough and cheap: UUID.randomUUID() draws from
 * SecureRandom under a lock, a needless cost per request.
 */
final class RequestIds {

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "req_" + Long.toHexString(System.currentTimeMillis()) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}

package dev.tollgate.testing;

import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageRepository;
import java.util.List;

/** Reads usage records, which the gateway writes asynchronously. */
public final class Records {

  private Records() {}

  /** Waits (up to 5 s) for the record of a request, by the x-request-id the gateway returned. */
  public static UsageRecord await(TestGateway gateway, String requestId) {
    UsageRepository usage = new UsageRepository(gateway.app().stores().sql());
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      List<UsageRecord> found = usage.byRequestId(requestId);
      if (!found.isEmpty()) {
        if (found.size() > 1) {
          throw new AssertionError("request " + requestId + " has " + found.size() + " usage records");
        }
        return found.get(0);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no usage record for request " + requestId);
  }
}

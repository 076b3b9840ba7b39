package dev.tollgate.relay;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.usage.UsageRecord;
import java.util.function.Supplier;

/**
 * Told of every relayed request once it is metered (metrics, the access log). Called on the
 * request's event loop: it must not block.
 */
public interface RequestObserver {

  /**
   * @param protocol the protocol the client spoke (names the endpoint family)
   * @param record the request as metered, exactly as it goes to the usage writer
   * @param prompt the prompt's text (null when the request was not read): a walk over every
   *     message, so only for an observer that shows it (the access log's debug option)
   */
  void ended(WireProtocol protocol, UsageRecord record, Supplier<String> prompt);
}

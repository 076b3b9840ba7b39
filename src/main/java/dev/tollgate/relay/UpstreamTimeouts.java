package dev.tollgate.relay;

/**
 * @param firstByteMs from sending the request to the response head
 * @param idleMs the longest silence allowed between body chunks once the response has started
 */
public record UpstreamTimeouts(long firstByteMs, long idleMs) {

  /** How often a watchdog looks: often enough for the shorter limit, at most once a second. */
  /** The same limits with the first byte due within {@code ms} at the latest (the request's deadline). */
  UpstreamTimeouts firstByteAtMost(long ms) {
    return ms >= firstByteMs ? this : new UpstreamTimeouts(Math.max(1, ms), idleMs);
  }

  long checkPeriodMs() {
    return Math.max(10, Math.min(1000, Math.min(firstByteMs, idleMs) / 5));
  }
}

package dev.tollgate.relay;

import dev.tollgate.channel.ChannelTimeouts;

/**
 * @param connectMs to obtain a connection; 0 = the upstream client's own setting (the global one)
 * @param firstByteMs from sending the request to the response head
 * @param idleMs the longest silence allowed between body chunks once the response has started
 */
public record UpstreamTimeouts(long connectMs, long firstByteMs, long idleMs) {

  /** The global limits; connecting is left to the upstream client's settings. */
  public UpstreamTimeouts(long firstByteMs, long idleMs) {
    this(0, firstByteMs, idleMs);
  }

  /** These limits with the channel's own ones in place of those it sets. */
  UpstreamTimeouts forChannel(ChannelTimeouts channel) {
    if (channel.isNone()) {
      return this;
    }
    return new UpstreamTimeouts(
        channel.connectMs() == null ? connectMs : channel.connectMs(),
        channel.firstByteMs() == null ? firstByteMs : channel.firstByteMs(),
        channel.idleMs() == null ? idleMs : channel.idleMs());
  }

  /** The same limits with the first byte due within {@code ms} at the latest (the request's deadline). */
  UpstreamTimeouts firstByteAtMost(long ms) {
    return ms >= firstByteMs ? this : new UpstreamTimeouts(connectMs, Math.max(1, ms), idleMs);
  }

  /** How often a watchdog looks: often enough for the shorter limit, at most once a second. */
  long checkPeriodMs() {
    return Math.max(10, Math.min(1000, Math.min(firstByteMs, idleMs) / 5));
  }
}

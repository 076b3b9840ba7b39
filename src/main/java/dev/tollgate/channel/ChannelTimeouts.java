package dev.tollgate.channel;

/**
 * A channel's own upstream timeouts; a null field means the global one ({@code upstream.*} in the
 * configuration). A slow self-hosted model may need more patience than a fast vendor, and a
 * flaky one less, so that failover comes sooner.
 */
public record ChannelTimeouts(Integer connectMs, Integer firstByteMs, Integer idleMs) {

  public static final ChannelTimeouts NONE = new ChannelTimeouts(null, null, null);
  private static final int MAX_MS = 24 * 3600 * 1000;

  public ChannelTimeouts {
    check("connect", connectMs);
    check("first-byte", firstByteMs);
    check("idle", idleMs);
  }

  private static void check(String which, Integer ms) {
    if (ms != null && (ms < 1 || ms > MAX_MS)) {
      throw new IllegalArgumentException("the " + which + " timeout must be 1 to " + MAX_MS + " ms (or unset for the global one), not " + ms);
    }
  }

  public boolean isNone() {
    return connectMs == null && firstByteMs == null && idleMs == null;
  }
}

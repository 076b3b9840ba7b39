package dev.tollgate.relay;

/**
 * What the gateway may do when it fetches an image URL on a client's behalf (protocols §5.3).
 *
 * @param allowHttp also accept plain {@code http://} URLs (default: https only)
 * @param allowPrivateAddresses also connect to loopback, private, link-local and other
 *     non-public addresses; only for tests and closed networks, as it opens the gateway to SSRF
 * @param maxBytes the largest image accepted, in bytes
 * @param timeoutMs the whole fetch, from name resolution to the last byte, redirects included
 * @param maxRedirects how many redirects are followed before the fetch is refused
 */
public record ImageFetchPolicy(
    boolean allowHttp, boolean allowPrivateAddresses, long maxBytes, long timeoutMs, int maxRedirects) {

  public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_REDIRECTS = 3;

  public ImageFetchPolicy {
    if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxBytes must be between 1 and " + (Integer.MAX_VALUE - 8));
    }
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be positive");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative");
    }
  }

  /** HTTPS only, public addresses only, 20 MB, 10 s, 3 redirects. */
  public static ImageFetchPolicy defaults() {
    return new ImageFetchPolicy(false, false, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_REDIRECTS);
  }

  /** The size limit as people read it: "20 MB", or bytes when not a whole number of MB. */
  String describeMaxBytes() {
    long mb = 1024 * 1024;
    return maxBytes % mb == 0 ? maxBytes / mb + " MB" : maxBytes + " bytes";
  }
}

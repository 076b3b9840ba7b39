package dev.tollgate.protocol.anthropic;

/**
 * Thinking signatures that did not come from Anthropic travel to Anthropic clients with a gateway
 * prefix, {@code tg1:<vendor>:<signature>} (protocols.md §5.11), so that when the client sends
 * the block back the gateway knows whose it is and never forwards it to a real Anthropic
 * upstream, which would reject it.
 */
record ThinkingSignature(String vendor, String value) {

  static final String ANTHROPIC = "anthropic";
  /** The vendor named when a stream event does not say whose signature it carries. */
  static final String UNKNOWN = "unknown";
  private static final String PREFIX = "tg1:";

  /** The signature as an Anthropic client sees it. */
  static String forClient(String vendor, String signature) {
    String sig = signature == null ? "" : signature;
    if (ANTHROPIC.equals(vendor)) {
      return sig;
    }
    return PREFIX + (vendor == null || vendor.isEmpty() ? UNKNOWN : vendor) + ":" + sig;
  }

  /** A signature a client sent back: its vendor, and the vendor's own token. */
  static ThinkingSignature fromClient(String signature) {
    if (signature != null && signature.startsWith(PREFIX)) {
      int colon = signature.indexOf(':', PREFIX.length());
      if (colon > PREFIX.length()) {
        return new ThinkingSignature(signature.substring(PREFIX.length(), colon), signature.substring(colon + 1));
      }
    }
    return new ThinkingSignature(ANTHROPIC, signature);
  }
}

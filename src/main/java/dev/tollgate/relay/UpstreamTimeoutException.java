package dev.tollgate.relay;

/** The upstream went silent longer than allowed (before its first byte, or mid-body). */
final class UpstreamTimeoutException extends RuntimeException {
  UpstreamTimeoutException(String message) {
    super(message, null, false, false);
  }
}

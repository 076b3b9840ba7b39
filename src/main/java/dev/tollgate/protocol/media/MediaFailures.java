package dev.tollgate.protocol.media;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;

/** The two ways a media codec fails: the client's request (400) or the upstream's answer (502). */
final class MediaFailures {

  private MediaFailures() {}

  static GatewayError.Failure invalid(String param, String message) {
    return new GatewayError.Failure(GatewayError.invalid(param, message));
  }

  static GatewayError.Failure upstream(String message) {
    return new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message));
  }
}

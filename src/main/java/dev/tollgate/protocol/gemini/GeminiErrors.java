package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;

/**
 * Renders a {@link GatewayError} as Google's error JSON, {@code {"error":{code,message,status}}},
 * with the HTTP status and status string a Gemini SDK expects (protocols.md §4.5, §5.15).
 */
final class GeminiErrors {

  private GeminiErrors() {}

  /**
   * Gemini has no 402 or 413: quota is {@code RESOURCE_EXHAUSTED} (429) and an oversized request
   * is {@code INVALID_ARGUMENT} (400). Upstream failures are 500 {@code INTERNAL}, as Google's
   * own server errors are; SDKs retry both.
   */
  static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST, REQUEST_TOO_LARGE -> 400;
      case INVALID_API_KEY -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND, MODEL_NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case QUOTA_EXCEEDED, RATE_LIMITED -> 429;
      case INTERNAL_ERROR, UPSTREAM_ERROR -> 500;
      case NO_AVAILABLE_NODE, SHUTTING_DOWN, STORAGE_UNAVAILABLE -> 503;
      case UPSTREAM_TIMEOUT -> 504;
    };
  }

  static String statusName(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST, REQUEST_TOO_LARGE -> "INVALID_ARGUMENT";
      case INVALID_API_KEY -> "UNAUTHENTICATED";
      case FORBIDDEN -> "PERMISSION_DENIED";
      case NOT_FOUND, MODEL_NOT_FOUND -> "NOT_FOUND";
      case METHOD_NOT_ALLOWED -> "UNIMPLEMENTED";
      case QUOTA_EXCEEDED, RATE_LIMITED -> "RESOURCE_EXHAUSTED";
      case INTERNAL_ERROR, UPSTREAM_ERROR -> "INTERNAL";
      case NO_AVAILABLE_NODE, SHUTTING_DOWN, STORAGE_UNAVAILABLE -> "UNAVAILABLE";
      case UPSTREAM_TIMEOUT -> "DEADLINE_EXCEEDED";
    };
  }

  /** The error object; a field at fault travels as Google's {@code BadRequest} field violation. */
  static ObjectNode tree(GatewayError error) {
    ObjectNode root = GeminiJson.MAPPER.createObjectNode();
    ObjectNode body = root.putObject("error");
    body.put("code", status(error.code()));
    body.put("message", error.message());
    body.put("status", statusName(error.code()));
    if (error.param() != null) {
      ObjectNode violation = body.putArray("details").addObject()
          .put("@type", "type.googleapis.com/google.rpc.BadRequest")
          .putArray("fieldViolations").addObject();
      violation.put("field", error.param());
      violation.put("description", error.message());
    }
    return root;
  }

  static byte[] body(GatewayError error) {
    return GeminiJson.bytes(tree(error));
  }
}

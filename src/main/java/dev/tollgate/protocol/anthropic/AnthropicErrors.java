package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;

/**
 * Anthropic's error shape, {@code {"type":"error","error":{"type","message"}}}, both ways: our
 * errors rendered for Anthropic clients, and Anthropic's error types read from upstream answers.
 */
final class AnthropicErrors {

  private AnthropicErrors() {}

  static byte[] body(GatewayError error) {
    return AnthropicJson.bytes(tree(error));
  }

  static ObjectNode tree(GatewayError error) {
    ObjectNode body = AnthropicJson.object();
    body.put("type", "error");
    ObjectNode inner = body.putObject("error");
    inner.put("type", type(error.code()));
    inner.put("message", error.message());
    return body;
  }

  /**
   * Anthropic's {@code error.type} vocabulary (protocols.md §3.5, §5.15). Statuses stay ours (the
   * codec keeps {@link GatewayError#status()}): the SDKs pick exception classes by status, and
   * the gateway's own "no channel" is a 503, not Anthropic's 529. Quota exhaustion is the 402
   * {@code billing_error} of newer API versions, which says what happened better than a 429
   * rate limit would (and SDKs do not retry 402). Timeouts use {@code timeout_error}, the type
   * the official SDKs declare for 504.
   */
  static String type(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "invalid_request_error";
      case INVALID_API_KEY -> "authentication_error";
      case QUOTA_EXCEEDED -> "billing_error";
      case FORBIDDEN -> "permission_error";
      case NOT_FOUND, MODEL_NOT_FOUND -> "not_found_error";
      case REQUEST_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED -> "rate_limit_error";
      case INTERNAL_ERROR, UPSTREAM_ERROR -> "api_error";
      case NO_AVAILABLE_NODE, SHUTTING_DOWN, STORAGE_UNAVAILABLE -> "overloaded_error";
      case UPSTREAM_TIMEOUT -> "timeout_error";
    };
  }

  /**
   * An upstream's {@code {"type":"error","error":{…}}} as our error. Failures of the channel's own
   * key, permission or billing are the gateway's problem, never the client's: they become
   * UPSTREAM_ERROR, so a client is never told its key is invalid.
   */
  static GatewayError fromUpstream(JsonNode body) {
    JsonNode error = body == null ? null : body.get("error");
    String type = AnthropicJson.text(error, "type");
    String message = AnthropicJson.text(error, "message");
    if (message == null || message.isBlank()) {
      message = "upstream error" + (type == null ? "" : " (" + type + ")");
    }
    ErrorCode code = switch (type == null ? "" : type) {
      case "invalid_request_error" -> ErrorCode.INVALID_REQUEST;
      case "not_found_error" -> ErrorCode.NOT_FOUND;
      case "request_too_large" -> ErrorCode.REQUEST_TOO_LARGE;
      case "rate_limit_error" -> ErrorCode.RATE_LIMITED;
      case "overloaded_error" -> ErrorCode.NO_AVAILABLE_NODE;
      case "timeout_error" -> ErrorCode.UPSTREAM_TIMEOUT;
      default -> ErrorCode.UPSTREAM_ERROR;
    };
    return GatewayError.of(code, message);
  }
}

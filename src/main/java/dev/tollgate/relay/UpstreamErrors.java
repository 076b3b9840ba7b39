package dev.tollgate.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.io.IOException;

/**
 * An upstream's 4xx answer, re-told in the client's protocol when the two differ
 * (protocols.md §5.15). The upstream's own message is kept: it is what explains the problem.
 */
final class UpstreamErrors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 1_000;

  private UpstreamErrors() {}

  static GatewayError fromStatus(int status, byte[] body) {
    String message = message(body);
    ErrorCode code = switch (status) {
      case 404 -> ErrorCode.MODEL_NOT_FOUND;
      case 413 -> ErrorCode.REQUEST_TOO_LARGE;
      case 429 -> ErrorCode.RATE_LIMITED;
      // The upstream refused the channel's own key: not the client's fault, and never "your key".
      case 401, 403 -> ErrorCode.UPSTREAM_ERROR;
      default -> ErrorCode.INVALID_REQUEST;
    };
    String text = code == ErrorCode.UPSTREAM_ERROR
        ? "the upstream refused the gateway's credentials (HTTP " + status + ")"
        : message == null ? "the upstream rejected the request (HTTP " + status + ")" : "upstream: " + message;
    return GatewayError.of(code, text);
  }

  /** {@code error.message} (OpenAI, Anthropic, Gemini all nest it so), or a top-level message. */
  static String message(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null) {
        return null;
      }
      JsonNode message = root.path("error").path("message");
      if (!message.isTextual()) {
        message = root.path("message");
      }
      if (!message.isTextual() || message.asText().isBlank()) {
        return null;
      }
      String text = message.asText();
      return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    } catch (IOException e) {
      return null;
    }
  }
}

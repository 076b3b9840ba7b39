package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Gemini puts the model and the action in the path: {@code models/gemini-2.5-flash:generateContent}.
 * Model ids hold dots and dashes, so the split is on the last colon, after URL-decoding ({@code %3A}).
 */
final class GeminiTarget {

  private GeminiTarget() {}

  /** The model of a {@code model:action} path segment, whatever the action. */
  static String model(String modelAndAction) {
    String decoded = URLDecoder.decode(modelAndAction.replace("+", "%2B"), StandardCharsets.UTF_8);
    int colon = decoded.lastIndexOf(':');
    String model = colon < 0 ? decoded : decoded.substring(0, colon);
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  static ChatCodec.RequestTarget parse(String modelAndAction) {
    String decoded = URLDecoder.decode(modelAndAction.replace("+", "%2B"), StandardCharsets.UTF_8);
    int colon = decoded.lastIndexOf(':');
    if (colon <= 0) {
      throw new GatewayError.Failure(GatewayError.invalid(null,
          "the path must name a model and an action, e.g. models/gemini-2.5-flash:generateContent"));
    }
    String model = decoded.substring(0, colon);
    if (model.startsWith("models/")) {
      model = model.substring("models/".length());
    }
    String action = decoded.substring(colon + 1);
    return switch (action) {
      case "generateContent" -> new ChatCodec.RequestTarget(model, false);
      case "streamGenerateContent" -> new ChatCodec.RequestTarget(model, true);
      default -> throw new GatewayError.Failure(GatewayError.of(dev.tollgate.protocol.ErrorCode.NOT_FOUND,
          "the action '" + action + "' is not supported; use generateContent or streamGenerateContent"));
    };
  }
}

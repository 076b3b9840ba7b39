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
    String decoded = decode(modelAndAction);
    int colon = decoded.lastIndexOf(':');
    return withoutPrefix(colon < 0 ? decoded : decoded.substring(0, colon));
  }

  static ChatCodec.RequestTarget parse(String modelAndAction) {
    String decoded = decode(modelAndAction);
    int colon = decoded.lastIndexOf(':');
    if (colon <= 0) {
      throw new GatewayError.Failure(GatewayError.invalid(null,
          "the path must name a model and an action, e.g. models/gemini-2.5-flash:generateContent"));
    }
    String model = withoutPrefix(decoded.substring(0, colon));
    String action = decoded.substring(colon + 1);
    return switch (action) {
      case "generateContent" -> new ChatCodec.RequestTarget(model, false);
      case "streamGenerateContent" -> new ChatCodec.RequestTarget(model, true);
      default -> throw new GatewayError.Failure(GatewayError.of(dev.tollgate.protocol.ErrorCode.NOT_FOUND,
          "the action '" + action + "' is not supported; use generateContent or streamGenerateContent"));
    };
  }

  /** Path decoding, keeping '+' literal ({@code %3A} becomes the colon it stands for). */
  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String withoutPrefix(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }
}

package dev.tollgate.protocol.media;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/images/generations}: the request as the gateway prices it, and the
 * count of images an answer holds.
 *
 * <p>Client mistakes throw {@link dev.tollgate.protocol.GatewayError.Failure} with an
 * INVALID_REQUEST error naming the field (400); an unreadable upstream answer throws it with
 * UPSTREAM_ERROR (502).
 */
public final class OpenAiImages {

  /** What OpenAI generates with when the request names no model. */
  public static final String DEFAULT_MODEL = "dall-e-2";

  /** OpenAI's bounds of {@code n}. */
  static final int MAX_IMAGES = 10;

  private OpenAiImages() {}

  public static ImageRequest decodeGeneration(byte[] body) {
    JsonNode root = MediaJson.requestObject(body);
    return new ImageRequest(
        model(root),
        prompt(root),
        images(root),
        MediaJson.optionalString(root, "size"),
        MediaJson.optionalString(root, "quality"),
        responseFormat(root),
        MediaJson.optionalBoolean(root, "stream"));
  }

  /**
   * The price-table names to look the image price up under, most specific first: a model's price
   * usually depends on the size and quality asked, and an admin prices only the combinations that
   * differ. Absent parts are left out, never written as "null".
   */
  public static List<String> priceKeys(ImageRequest request) {
    String model = request.model();
    String size = request.size();
    String quality = request.quality();
    List<String> keys = new ArrayList<>(4);
    if (size != null && quality != null) {
      keys.add(model + "@" + size + "@" + quality);
    }
    if (size != null) {
      keys.add(model + "@" + size);
    }
    if (quality != null) {
      keys.add(model + "@" + quality);
    }
    keys.add(model);
    return List.copyOf(keys);
  }

  /**
   * What an upstream answer delivered, read as a stream: each {@code b64_json} image is a string
   * of megabytes, and the parser steps over it without decoding it.
   */
  public static ImageAnswer countImages(byte[] answer) {
    try (JsonParser parser = MediaJson.parser(answer)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw MediaFailures.upstream("the upstream's image answer is not a JSON object");
      }
      int images = -1;
      Integer inputTokens = null;
      Integer outputTokens = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "data" -> {
            if (value == JsonToken.START_ARRAY) {
              images = entries(parser);
            } else {
              parser.skipChildren();
              images = -1;
            }
          }
          case "usage" -> {
            if (value == JsonToken.START_OBJECT) {
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                  case "input_tokens" -> inputTokens = MediaJson.intOrNull(parser);
                  case "output_tokens" -> outputTokens = MediaJson.intOrNull(parser);
                  default -> parser.skipChildren();
                }
              }
            } else {
              parser.skipChildren();
            }
          }
          case "error" -> {
            if (value != JsonToken.VALUE_NULL) {
              throw MediaJson.upstreamError(parser);
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (images < 0) {
        throw MediaFailures.upstream("the upstream's image answer holds no 'data' array of images");
      }
      return new ImageAnswer(images, inputTokens, outputTokens);
    } catch (IOException e) {
      throw MediaFailures.upstream("the upstream's image answer is not valid JSON");
    }
  }

  private static int entries(JsonParser parser) throws IOException {
    int count = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      parser.skipChildren();
      count++;
    }
    return count;
  }

  private static String model(JsonNode root) {
    return MediaJson.field(root, "model") == null ? DEFAULT_MODEL : MediaJson.requiredString(root, "model");
  }

  private static String prompt(JsonNode root) {
    JsonNode prompt = MediaJson.field(root, "prompt");
    if (prompt == null) {
      throw MediaFailures.invalid("prompt", "'prompt' is required");
    }
    if (!prompt.isTextual()) {
      throw MediaFailures.invalid("prompt", "'prompt' must be a string, not " + MediaJson.kind(prompt));
    }
    if (prompt.textValue().isEmpty()) {
      throw MediaFailures.invalid("prompt", "'prompt' must not be empty");
    }
    return prompt.textValue();
  }

  private static int images(JsonNode root) {
    JsonNode n = MediaJson.field(root, "n");
    if (n == null) {
      return 1;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_IMAGES) {
      throw MediaFailures.invalid("n", "'n' must be an integer from 1 to " + MAX_IMAGES);
    }
    return n.intValue();
  }

  private static String responseFormat(JsonNode root) {
    JsonNode format = MediaJson.field(root, "response_format");
    if (format == null) {
      return null;
    }
    if (format.isTextual() && (format.textValue().equals("url") || format.textValue().equals("b64_json"))) {
      return format.textValue();
    }
    throw MediaFailures.invalid("response_format", "'response_format' must be \"url\" or \"b64_json\"");
  }
}

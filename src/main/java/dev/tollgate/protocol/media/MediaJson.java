package dev.tollgate.protocol.media;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonBodies;
import java.io.IOException;

/**
 * JSON for the media codecs. Client requests are small and read as trees (validation names the
 * field at fault); upstream answers can be megabytes of base64 images, so they are read as a
 * stream that steps over strings it does not need without ever decoding them.
 */
final class MediaJson {

  /** The same limits as the other codecs: the body limit is the real bound, and no source is quoted in errors. */
  private static final JsonMapper MAPPER = JsonBodies.newMapper();

  /** For one value inside a stream being read: the trailing-token check belongs to whole bodies only. */
  private static final ObjectReader VALUE_READER = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private MediaJson() {}

  /** A client's body as a JSON object, or a 400 naming what is wrong with it. */
  static JsonNode requestObject(byte[] body) {
    return JsonBodies.requestObject(MAPPER, body);
  }

  /** A field's value, or null when absent or JSON null: OpenAI's SDKs send null for "not given". */
  static JsonNode field(JsonNode object, String name) {
    return JsonBodies.field(object, name);
  }

  /** A required non-blank string field, or a 400 naming it. */
  static String requiredString(JsonNode object, String name) {
    JsonNode value = field(object, name);
    if (value == null) {
      throw MediaFailures.invalid(name, "'" + name + "' is required");
    }
    if (!value.isTextual()) {
      throw MediaFailures.invalid(name, "'" + name + "' must be a string, not " + kind(value));
    }
    if (value.textValue().isBlank()) {
      throw MediaFailures.invalid(name, "'" + name + "' must not be blank");
    }
    return value.textValue();
  }

  /** An optional string field: null when absent, a 400 naming it when not a string. */
  static String optionalString(JsonNode object, String name) {
    JsonNode value = field(object, name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw MediaFailures.invalid(name, "'" + name + "' must be a string, not " + kind(value));
    }
    return value.textValue();
  }

  static boolean optionalBoolean(JsonNode object, String name) {
    JsonNode value = field(object, name);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw MediaFailures.invalid(name, "'" + name + "' must be true or false, not " + kind(value));
    }
    return value.booleanValue();
  }

  static JsonParser parser(byte[] body) throws IOException {
    return JsonBodies.parser(MAPPER, body);
  }

  /** The value the parser stands on, as a tree (an upstream's small {@code error} object). */
  static JsonNode readValue(JsonParser parser) throws IOException {
    return VALUE_READER.readTree(parser);
  }

  /**
   * The int the parser stands on, or null when it is another kind of value (stepped over) or out
   * of int range.
   */
  static Integer intOrNull(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
      parser.skipChildren();
      return null;
    }
    return parser.getIntValue();
  }

  /**
   * The number the parser stands on as a count of seconds, or null when it is no finite number of
   * 0 or more (another kind of value is stepped over). A numeric string is taken too: some OpenAI-compatible servers quote it.
   */
  static Double secondsOrNull(JsonParser parser) throws IOException {
    double value;
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = parser.getDoubleValue();
    } else if (token == JsonToken.VALUE_STRING) {
      try {
        value = Double.parseDouble(parser.getText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      parser.skipChildren();
      return null;
    }
    return Double.isFinite(value) && value >= 0 ? value : null;
  }

  /** Some vendors answer 200 with an error inside; that answer delivered nothing. */
  static GatewayError.Failure upstreamError(JsonParser parser) throws IOException {
    JsonNode error = readValue(parser);
    String message = error.isTextual() ? error.textValue() : error.path("message").asText(null);
    return MediaFailures.upstream(message == null || message.isBlank()
        ? "the upstream reported an error" : "upstream error: " + message);
  }

  /** What a misplaced value is, in the client's words, without quoting it (it may be large or private). */
  static String kind(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a fractional number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "an array";
    }
    return "an object";
  }

  static String firstLine(String message) {
    return JsonBodies.firstLine(message);
  }
}

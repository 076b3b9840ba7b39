package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.GatewayError;

/**
 * Typed reads of a client's Gemini JSON that name the field at fault. Gemini accepts snake_case
 * on input as well as camelCase (protocols.md §4), so every read tries both; a JSON null counts
 * as absent (§6.26).
 */
final class GeminiFields {

  private GeminiFields() {}

  /** Field names are a small fixed set: their snake_case forms are computed once. */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> SNAKE = new java.util.concurrent.ConcurrentHashMap<>();

  static JsonNode get(JsonNode object, String camelName) {
    JsonNode value = object.get(camelName);
    if (value == null) {
      String snake = SNAKE.computeIfAbsent(camelName, GeminiFields::snake);
      if (!snake.equals(camelName)) {
        value = object.get(snake);
      }
    }
    return value == null || value.isNull() ? null : value;
  }

  static JsonNode object(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !value.isObject()) {
      throw invalid(path, "must be an object");
    }
    return value;
  }

  static JsonNode array(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !value.isArray()) {
      throw invalid(path, "must be an array");
    }
    return value;
  }

  static String string(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !value.isTextual()) {
      throw invalid(path, "must be a string");
    }
    return value == null ? null : value.textValue();
  }

  static Double number(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !value.isNumber()) {
      throw invalid(path, "must be a number");
    }
    return value == null ? null : value.doubleValue();
  }

  static Integer integer(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !(value.isIntegralNumber() && value.canConvertToInt())) {
      throw invalid(path, "must be an integer");
    }
    return value == null ? null : value.intValue();
  }

  static Long longInteger(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !(value.isIntegralNumber() && value.canConvertToLong())) {
      throw invalid(path, "must be an integer");
    }
    return value == null ? null : value.longValue();
  }

  static Boolean bool(JsonNode parent, String name, String path) {
    JsonNode value = get(parent, name);
    if (value != null && !value.isBoolean()) {
      throw invalid(path, "must be a boolean");
    }
    return value == null ? null : value.booleanValue();
  }

  static GatewayError.Failure invalid(String path, String problem) {
    return new GatewayError.Failure(GatewayError.invalid(path, "'" + path + "' " + problem));
  }

  static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts schemas between JSON Schema (the hub's) and Gemini's OpenAPI-style {@code Schema}
 * subset, used for function {@code parameters} and {@code responseSchema}.
 *
 * <p>Towards Gemini the schema is rebuilt from a whitelist rather than by deleting known-bad keys:
 * older models reject any key they do not know ({@code $schema}, {@code additionalProperties},
 * {@code strict}, {@code $ref}, {@code const}, {@code default}, …) and new JSON Schema keywords
 * keep appearing. We send the cleaned {@code parameters}/{@code responseSchema} rather than
 * {@code parametersJsonSchema}/{@code responseJsonSchema} because every current model accepts it.
 */
final class GeminiSchema {

  private static final Set<String> KEPT = Set.of(
      "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems",
      "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
      "pattern", "example", "anyOf", "propertyOrdering", "items", "minimum", "maximum");

  /** Gemini accepts only these formats, per type; others are rejected with a 400. */
  private static final Map<String, Set<String>> FORMATS = Map.of(
      "string", Set.of("enum", "date-time"),
      "integer", Set.of("int32", "int64"),
      "number", Set.of("float", "double"));

  private GeminiSchema() {}

  /** JSON Schema → Gemini {@code Schema}; null stays null. */
  static JsonNode toGemini(JsonNode schema) {
    if (!(schema instanceof ObjectNode source)) {
      return schema;
    }
    ObjectNode out = GeminiJson.MAPPER.createObjectNode();
    String type = null;
    JsonNode typeNode = source.get("type");
    if (typeNode != null && typeNode.isArray()) {
      // ["string","null"] → type string + nullable, Gemini's spelling of an optional value.
      for (JsonNode t : typeNode) {
        if ("null".equals(t.asText())) {
          out.put("nullable", true);
        } else if (type == null) {
          type = t.asText();
        }
      }
    } else if (typeNode != null && typeNode.isTextual()) {
      type = typeNode.textValue();
    }
    if (type != null) {
      out.put("type", type);
    }
    String lowerType = type == null ? null : type.toLowerCase(Locale.ROOT);
    source.properties().forEach(field -> {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals("type") || !KEPT.contains(key)) {
        return;
      }
      switch (key) {
        case "properties" -> {
          if (value.isObject()) {
            ObjectNode properties = out.putObject("properties");
            value.properties().forEach(p -> properties.set(p.getKey(), toGemini(p.getValue())));
          }
        }
        case "items" -> {
          if (value.isObject()) {
            out.set("items", toGemini(value));
          }
        }
        case "anyOf" -> {
          if (value.isArray()) {
            ArrayNode anyOf = out.putArray("anyOf");
            value.forEach(s -> anyOf.add(toGemini(s)));
          }
        }
        case "enum" -> {
          boolean allStrings = value.isArray();
          for (JsonNode v : value) {
            allStrings &= v.isTextual();
          }
          if (allStrings) {
            out.set("enum", value);
          }
        }
        case "format" -> {
          Set<String> allowed = lowerType == null ? null : FORMATS.get(lowerType);
          if (allowed != null && allowed.contains(value.asText())) {
            out.set("format", value);
          }
        }
        default -> out.set(key, value);
      }
    });
    JsonNode constant = source.get("const");
    if (constant != null && constant.isTextual() && !out.has("enum")) {
      out.putArray("enum").add(constant);
    }
    return out;
  }

  /** Gemini {@code Schema} → JSON Schema: Gemini spells types in upper case ({@code OBJECT}). */
  static JsonNode fromGemini(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return schema;
    }
    ObjectNode out = ((ObjectNode) schema).deepCopy();
    lowerTypes(out);
    return out;
  }

  private static void lowerTypes(JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    JsonNode type = object.get("type");
    if (type != null && type.isTextual()) {
      object.put("type", type.textValue().toLowerCase(Locale.ROOT));
    }
    JsonNode properties = object.get("properties");
    if (properties != null && properties.isObject()) {
      properties.forEach(GeminiSchema::lowerTypes);
    }
    lowerTypes(object.get("items"));
    JsonNode anyOf = object.get("anyOf");
    if (anyOf != null && anyOf.isArray()) {
      anyOf.forEach(GeminiSchema::lowerTypes);
    }
  }

  /** True for an object schema without properties: Gemini rejects those as function parameters. */
  static boolean isEmptyObject(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return true;
    }
    JsonNode properties = schema.get("properties");
    return "object".equalsIgnoreCase(schema.path("type").asText("object"))
        && (properties == null || properties.isEmpty());
  }
}

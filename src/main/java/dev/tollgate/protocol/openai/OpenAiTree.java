package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.JsonScan;
import java.io.IOException;

/**
 * JSON trees for the converting codec. Conversion reads and rebuilds whole bodies, so a tree is
 * the plain tool here; the passthrough keeps its streaming parsers ({@link OpenAiJson}).
 *
 * <p>Its own factory with the same limits as {@link OpenAiJson#FACTORY}: a mapper registers
 * itself as the codec of its factory, and the passthrough's factory must stay untouched.
 * Duplicate keys: the last one wins, as in the passthrough inspector (protocols.md §6.37).
 */
final class OpenAiTree {

  static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

  private OpenAiTree() {}

  /** Parses one JSON value, skipping a UTF-8 BOM; throws IOException when it is not valid JSON. */
  static JsonNode parse(byte[] body) throws IOException {
    int start = JsonScan.bomLength(body);
    JsonNode node = MAPPER.readTree(body, start, body.length - start);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty body");
    }
    return node;
  }

  static JsonNode parse(String text) throws IOException {
    JsonNode node = MAPPER.readTree(text);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty body");
    }
    return node;
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** A field's value, or null when it is absent or JSON null (protocols.md §6.26). */
  static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** A string field, or null when absent, null or not a string (for lenient upstream reading). */
  static String text(JsonNode object, String name) {
    JsonNode value = object == null ? null : object.get(name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    return cut < 0 ? message : message.substring(0, cut);
  }
}

package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the Anthropic codec, and the few tree helpers every part of it uses. */
final class AnthropicJson {

  /**
   * Jackson caps strings at 20 MB by default, below the 32 MB body limit: one large base64 image
   * would be called invalid JSON. The body limit is the real bound. Error locations never quote
   * the source: bodies must not reach messages.
   */
  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build());

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AnthropicJson() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON object parsed from text; null when the text is not one (blank, invalid, another type). */
  static ObjectNode objectOrNull(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The text of a string field, or null when it is absent, null or not a string. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** A non-negative count, 0 when absent or not a number. */
  static long count(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isNumber() ? Math.max(0, value.asLong()) : 0;
  }
}

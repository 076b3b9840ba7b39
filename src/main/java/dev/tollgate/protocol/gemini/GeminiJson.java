package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.JsonScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** The one JSON mapper of the Gemini codec, and the few reads and writes every part of it needs. */
final class GeminiJson {

  /**
   * Strings uncapped (a base64 image can pass Jackson's 20 MB default; the body limit is the real
   * bound), no source quoted in error locations, and floats kept exact so that tool arguments and
   * schemas leave as they came ({@code 1.0} stays {@code 1.0}).
   */
  static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private GeminiJson() {}

  /** The body as a JSON tree, a leading UTF-8 BOM ignored; null when it is not JSON. */
  static JsonNode readOrNull(byte[] body) {
    int start = JsonScan.bomLength(body);
    try {
      return MAPPER.readTree(start == 0 ? body : Arrays.copyOfRange(body, start, body.length));
    } catch (IOException e) {
      return null;
    }
  }

  static JsonNode readOrNull(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Tool arguments as the object Gemini requires: invalid, empty or non-object JSON becomes
   * {@code {}} (protocols.md §6.8–9), so history never fails a whole request.
   */
  static ObjectNode argsObject(String argumentsJson) {
    if (argumentsJson != null && !argumentsJson.isBlank()) {
      JsonNode parsed = readOrNull(argumentsJson);
      if (parsed instanceof ObjectNode object) {
        return object;
      }
    }
    return MAPPER.createObjectNode();
  }

  static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}

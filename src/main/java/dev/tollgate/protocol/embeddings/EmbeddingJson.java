package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollgate.protocol.JsonBodies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * JSON for the embeddings codecs. Client requests are small and read as trees (validation names
 * the field at fault); vectors are large (2048 inputs × 3072 floats is six million numbers), so
 * upstream answers are read and every answer written as a stream, never as a tree of number nodes.
 */
final class EmbeddingJson {

  /** The same limits as the chat codecs: the body limit is the real bound, and no source is quoted in errors. */
  static final JsonMapper MAPPER = JsonBodies.newMapper();

  /** For one value inside a stream being read: the trailing-token check belongs to whole bodies only. */
  private static final ObjectReader VALUE_READER = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EmbeddingJson() {}

  /** A client's body as a JSON object, or a 400 naming what is wrong with it. */
  static JsonNode requestObject(byte[] body) {
    return JsonBodies.requestObject(MAPPER, body);
  }

  /** A field's value, or null when absent or JSON null (protocols.md §6.26). */
  static JsonNode field(JsonNode object, String name) {
    return JsonBodies.field(object, name);
  }

  static JsonParser parser(byte[] body) throws IOException {
    return JsonBodies.parser(MAPPER, body);
  }

  /** The value the parser stands on, as a tree (an upstream's small {@code error} object). */
  static JsonNode readValue(JsonParser parser) throws IOException {
    return VALUE_READER.readTree(parser);
  }

  /**
   * The number array the parser stands on, read as float32. Jackson parses each number straight
   * to a float (not through a double), so a value printed as the shortest float32 text comes back
   * bit for bit.
   */
  static float[] readVector(JsonParser parser, String where) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw EmbeddingFailures.upstream("the upstream answer's " + where + " is not an array of numbers");
    }
    float[] values = new float[1024];
    int size = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
        throw EmbeddingFailures.upstream("the upstream answer's " + where + " holds a value that is not a number");
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = parser.getFloatValue();
    }
    return Arrays.copyOf(values, size);
  }

  /** Floats leave as Java's shortest text that reads back as the same float32 ("0.1", not "0.10000000149011612"). */
  static void writeVector(JsonGenerator json, float[] vector) throws IOException {
    json.writeStartArray(vector, vector.length);
    for (float value : vector) {
      json.writeNumber(value);
    }
    json.writeEndArray();
  }

  interface Writing {
    void write(JsonGenerator json) throws IOException;
  }

  static byte[] write(int sizeHint, Writing writing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, sizeHint));
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
      writing.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("an embeddings body could not be written", e);
    }
    return out.toByteArray();
  }

  /** About twelve bytes a float in text: a buffer that rarely has to grow. */
  static int textSizeHint(EmbeddingResponse response) {
    long floats = 0;
    for (float[] vector : response.vectors()) {
      floats += vector.length;
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, 64 + floats * 12 + response.vectors().size() * 48L);
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
      return node.canConvertToInt() ? (node.intValue() < 0 ? "a negative number" : "an integer") : "an integer that large";
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

  /**
   * Reads the rest of the object the parser is in, and answers the integer field {@code name} (null
   * when it is absent or not an integer); every other field is skipped.
   */
  static Integer intFieldOfObject(JsonParser parser, String name) throws IOException {
    Integer found = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
        found = parser.getIntValue();
      } else {
        parser.skipChildren();
      }
    }
    return found;
  }
}

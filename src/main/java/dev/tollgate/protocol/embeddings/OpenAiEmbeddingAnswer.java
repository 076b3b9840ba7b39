package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an OpenAI(-compatible) embeddings answer as a stream. Lenient about what vendors add;
 * strict about what pairs vectors with inputs: every {@code index} in range and none twice.
 */
final class OpenAiEmbeddingAnswer {

  private OpenAiEmbeddingAnswer() {}

  static EmbeddingResponse read(byte[] body) {
    try (JsonParser parser = EmbeddingJson.parser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw EmbeddingFailures.upstream("the upstream answer is not a JSON object");
      }
      List<float[]> vectors = null;
      Integer promptTokens = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "data" -> vectors = value == JsonToken.START_ARRAY ? data(parser) : null;
          case "usage" -> promptTokens = value == JsonToken.START_OBJECT ? EmbeddingJson.intFieldOfObject(parser, "prompt_tokens") : null;
          case "error" -> {
            if (value != JsonToken.VALUE_NULL) {
              // Some vendors answer 200 with an error inside (protocols.md §6.23).
              throw EmbeddingFailures.upstream(upstreamMessage(EmbeddingJson.readValue(parser)));
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (vectors == null) {
        throw EmbeddingFailures.upstream("the upstream answer holds no 'data' array of embeddings");
      }
      return new EmbeddingResponse(vectors, promptTokens);
    } catch (IOException e) {
      throw EmbeddingFailures.upstream("the upstream answer is not valid JSON");
    }
  }

  /** The vectors placed by {@code index}: OpenAI documents no order for {@code data}, only the index. */
  private static List<float[]> data(JsonParser parser) throws IOException {
    List<float[]> read = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      Integer index = null;
      float[] vector = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : null;
          case "embedding" -> vector = embedding(parser, value);
          default -> parser.skipChildren();
        }
      }
      if (vector == null) {
        throw EmbeddingFailures.upstream("the upstream answer's data[" + read.size() + "] holds no embedding");
      }
      indexes.add(index == null ? read.size() : index);
      read.add(vector);
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw EmbeddingFailures.upstream("the upstream answer's 'data' holds something that is not an embedding object");
    }
    float[][] ordered = new float[read.size()][];
    for (int i = 0; i < read.size(); i++) {
      int index = indexes.get(i);
      if (index < 0 || index >= ordered.length || ordered[index] != null) {
        throw EmbeddingFailures.upstream("the upstream answer's embedding indexes are not 0 to " + (ordered.length - 1) + " once each");
      }
      ordered[index] = read.get(i);
    }
    return Arrays.asList(ordered);
  }

  private static float[] embedding(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      try {
        return Float32Base64.decode(parser.getText());
      } catch (IllegalArgumentException e) {
        throw EmbeddingFailures.upstream("the upstream answer's base64 embedding is not little-endian float32: " + e.getMessage());
      }
    }
    return EmbeddingJson.readVector(parser, "embedding");
  }

  private static String upstreamMessage(JsonNode error) {
    String message = error.isTextual() ? error.textValue() : error.path("message").asText(null);
    return message == null || message.isBlank() ? "the upstream reported an error" : "upstream error: " + message;
  }
}

package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Gemini's embeddings answers as a stream: {@code {"embeddings":[{"values":[...]}]}} for a
 * batch, {@code {"embedding":{"values":[...]}}} for one content. The Gemini API reports no usage;
 * Vertex-style {@code usageMetadata.promptTokenCount} is read when an upstream adds it.
 */
final class GeminiEmbeddingAnswer {

  private GeminiEmbeddingAnswer() {}

  static EmbeddingResponse read(byte[] body, boolean batch) {
    String field = batch ? "embeddings" : "embedding";
    try (JsonParser parser = EmbeddingJson.parser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw EmbeddingFailures.upstream("the upstream answer is not a JSON object");
      }
      List<float[]> vectors = null;
      Integer promptTokens = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(field) && value == JsonToken.START_ARRAY && batch) {
          vectors = embeddings(parser);
        } else if (name.equals(field) && value == JsonToken.START_OBJECT && !batch) {
          vectors = List.of(values(parser, "embedding"));
        } else if (name.equals("usageMetadata") && value == JsonToken.START_OBJECT) {
          promptTokens = EmbeddingJson.intFieldOfObject(parser, "promptTokenCount");
        } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
          JsonNode error = EmbeddingJson.readValue(parser);
          throw EmbeddingFailures.upstream("the upstream failed: " + error.path("message").asText("no message"));
        } else {
          parser.skipChildren();
        }
      }
      if (vectors == null) {
        throw EmbeddingFailures.upstream("the upstream answer holds no '" + field + "'");
      }
      return new EmbeddingResponse(vectors, promptTokens);
    } catch (IOException e) {
      throw EmbeddingFailures.upstream("the upstream answer is not valid JSON");
    }
  }

  /** Google answers the batch in request order: there is no index to sort by. */
  private static List<float[]> embeddings(JsonParser parser) throws IOException {
    List<float[]> vectors = new ArrayList<>();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      vectors.add(values(parser, "embeddings[" + vectors.size() + "]"));
    }
    if (parser.currentToken() != JsonToken.END_ARRAY) {
      throw EmbeddingFailures.upstream("the upstream answer's 'embeddings' holds something that is not an embedding object");
    }
    return vectors;
  }

  /** The {@code values} of the ContentEmbedding object the parser has just entered. */
  private static float[] values(JsonParser parser, String where) throws IOException {
    float[] vector = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      if (name.equals("values")) {
        vector = EmbeddingJson.readVector(parser, where + ".values");
      } else {
        parser.skipChildren();
      }
    }
    if (vector == null) {
      throw EmbeddingFailures.upstream("the upstream answer's " + where + " holds no 'values'");
    }
    return vector;
  }
}

package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.JsonScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Gemini client's embeddings request served by a Gemini channel: the client's own body, with
 * only what the channel needs changed, so that fields the gateway does not read ({@code taskType},
 * {@code title}) arrive as sent. Providers are called on {@code :batchEmbedContents} alone, so an
 * {@code :embedContent} body travels as a batch of one and its answer comes back unwrapped, the
 * vector's bytes untouched.
 */
public final class GeminiEmbeddingPassthrough {

  private static final byte[] SINGLE_PREFIX = "{\"embedding\":".getBytes(StandardCharsets.US_ASCII);

  private GeminiEmbeddingPassthrough() {}

  /** An {@code :embedContent} body as the one request of a batch for {@code upstreamModel}. */
  public static byte[] batchOfOne(byte[] embedContentBody, String upstreamModel) {
    ObjectNode request = (ObjectNode) EmbeddingJson.requestObject(embedContentBody);
    request.put("model", "models/" + GeminiEmbedContents.bareModel(upstreamModel));
    ObjectNode batch = EmbeddingJson.MAPPER.createObjectNode();
    batch.putArray("requests").add(request);
    return write(batch);
  }

  /**
   * A {@code :batchEmbedContents} body for {@code upstreamModel}: the same bytes when the channel
   * serves the model under the client's name, otherwise every request's model renamed.
   */
  public static byte[] renamed(byte[] batchBody, String clientModel, String upstreamModel) {
    String bare = GeminiEmbedContents.bareModel(upstreamModel);
    if (bare.equals(GeminiEmbedContents.bareModel(clientModel))) {
      return batchBody;
    }
    JsonNode root = EmbeddingJson.requestObject(batchBody);
    for (JsonNode request : (ArrayNode) root.get("requests")) { // the decoder checked the shape
      ((ObjectNode) request).put("model", "models/" + bare);
    }
    return write(root);
  }

  /**
   * The {@code :embedContent} answer inside a batch answer of one: {@code {"embedding": E}} with
   * E the bytes of {@code embeddings[0]} as the upstream wrote them.
   */
  public static byte[] firstOfBatch(byte[] batchAnswer) {
    try (JsonParser parser = EmbeddingJson.parser(batchAnswer)) {
      int offset = bomOffset(batchAnswer);
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw EmbeddingFailures.upstream("the upstream answer is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("embeddings") && value == JsonToken.START_ARRAY) {
          if (parser.nextToken() != JsonToken.START_OBJECT) {
            break;
          }
          long start = parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          long end = parser.currentLocation().getByteOffset();
          ByteArrayOutputStream out = new ByteArrayOutputStream((int) (end - start) + SINGLE_PREFIX.length + 1);
          out.write(SINGLE_PREFIX);
          out.write(batchAnswer, offset + (int) start, (int) (end - start));
          out.write('}');
          return out.toByteArray();
        }
        parser.skipChildren();
      }
      throw EmbeddingFailures.upstream("the upstream answer holds no embedding");
    } catch (IOException e) {
      throw EmbeddingFailures.upstream("the upstream answer is not valid JSON");
    }
  }

  private static byte[] write(JsonNode root) {
    try {
      return EmbeddingJson.MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("an embeddings body could not be written", e);
    }
  }

  /** The parser counts its byte offsets from where it started: after the byte-order mark it skips. */
  private static int bomOffset(byte[] body) {
    return JsonScan.bomLength(body);
  }
}

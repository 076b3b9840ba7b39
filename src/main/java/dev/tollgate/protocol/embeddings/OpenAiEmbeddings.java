package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.StringJoiner;

/**
 * OpenAI's {@code POST /v1/embeddings} (protocols.md §2.2) ↔ the canonical embeddings model.
 *
 * <p>Client mistakes throw {@link dev.tollgate.protocol.GatewayError.Failure} with an
 * INVALID_REQUEST error naming the field (400); a malformed upstream answer throws it with
 * UPSTREAM_ERROR (502). Fields this codec does not know are ignored: a request to an OpenAI
 * channel travels as a passthrough and keeps them.
 */
public final class OpenAiEmbeddings {

  private OpenAiEmbeddings() {}

  public static EmbeddingRequest decodeRequest(byte[] body) {
    JsonNode root = EmbeddingJson.requestObject(body);
    return new EmbeddingRequest(
        model(root),
        OpenAiEmbeddingInputs.decode(EmbeddingJson.field(root, "input")),
        dimensions(root),
        base64(root),
        user(root));
  }

  /**
   * The body for an OpenAI-format channel. Float is always asked of the upstream: the gateway
   * encodes base64 itself when its client wants it, so every upstream answer reads one way.
   */
  public static byte[] encodeRequest(EmbeddingRequest request, String upstreamModel) {
    return EmbeddingJson.write(256, json -> {
      json.writeStartObject();
      json.writeStringField("model", upstreamModel);
      json.writeArrayFieldStart("input");
      for (EmbeddingInput input : request.inputs()) {
        switch (input) {
          case EmbeddingInput.Text text -> json.writeString(text.text());
          case EmbeddingInput.Tokens tokens -> {
            json.writeStartArray(tokens, tokens.length());
            for (int i = 0; i < tokens.length(); i++) {
              json.writeNumber(tokens.token(i));
            }
            json.writeEndArray();
          }
        }
      }
      json.writeEndArray();
      json.writeStringField("encoding_format", "float");
      if (request.dimensions() != null) {
        json.writeNumberField("dimensions", request.dimensions());
      }
      if (request.user() != null) {
        json.writeStringField("user", request.user());
      }
      json.writeEndObject();
    });
  }

  /** An upstream answer; {@code data[].embedding} may be floats or base64, in any order of {@code index}. */
  public static EmbeddingResponse decodeResponse(byte[] body) {
    return OpenAiEmbeddingAnswer.read(body);
  }

  /**
   * The answer for an OpenAI client.
   *
   * @param model the model name the client asked for
   * @param promptTokensWhenMissing the gateway's own count, reported when the upstream gave none
   */
  public static byte[] encodeResponse(EmbeddingResponse response, String model, boolean base64, int promptTokensWhenMissing) {
    int promptTokens = response.promptTokens() != null ? response.promptTokens() : promptTokensWhenMissing;
    return EmbeddingJson.write(EmbeddingJson.textSizeHint(response), json -> {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      List<float[]> vectors = response.vectors();
      for (int i = 0; i < vectors.size(); i++) {
        json.writeStartObject();
        json.writeStringField("object", "embedding");
        json.writeNumberField("index", i);
        json.writeFieldName("embedding");
        if (base64) {
          json.writeString(Float32Base64.encode(vectors.get(i)));
        } else {
          EmbeddingJson.writeVector(json, vectors.get(i));
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeStringField("model", model);
      json.writeObjectFieldStart("usage");
      json.writeNumberField("prompt_tokens", promptTokens);
      json.writeNumberField("total_tokens", promptTokens);
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  /** The text of every text input, one per line, for a local token estimate; token arrays add nothing here. */
  public static String inputText(EmbeddingRequest request) {
    StringJoiner text = new StringJoiner("\n");
    for (EmbeddingInput input : request.inputs()) {
      if (input instanceof EmbeddingInput.Text t) {
        text.add(t.text());
      }
    }
    return text.toString();
  }

  /** How many token ids the token-array inputs hold: those are counted exactly, not estimated. */
  public static int tokenCount(EmbeddingRequest request) {
    int count = 0;
    for (EmbeddingInput input : request.inputs()) {
      if (input instanceof EmbeddingInput.Tokens tokens) {
        count += tokens.length();
      }
    }
    return count;
  }

  private static String model(JsonNode root) {
    JsonNode model = EmbeddingJson.field(root, "model");
    if (model == null) {
      throw EmbeddingFailures.invalid("model", "'model' is required");
    }
    if (!model.isTextual()) {
      throw EmbeddingFailures.invalid("model", "'model' must be a string");
    }
    if (model.textValue().isBlank()) {
      throw EmbeddingFailures.invalid("model", "'model' must not be blank");
    }
    return model.textValue();
  }

  private static boolean base64(JsonNode root) {
    JsonNode format = EmbeddingJson.field(root, "encoding_format");
    if (format == null) {
      return false;
    }
    if (format.isTextual() && format.textValue().equals("float")) {
      return false;
    }
    if (format.isTextual() && format.textValue().equals("base64")) {
      return true;
    }
    throw EmbeddingFailures.invalid("encoding_format", "'encoding_format' must be \"float\" or \"base64\"");
  }

  private static Integer dimensions(JsonNode root) {
    JsonNode dimensions = EmbeddingJson.field(root, "dimensions");
    if (dimensions == null) {
      return null;
    }
    if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.intValue() < 1) {
      throw EmbeddingFailures.invalid("dimensions",
          "'dimensions' must be a positive integer, not "
              + (dimensions.isIntegralNumber() && dimensions.canConvertToInt() ? dimensions.intValue() : EmbeddingJson.kind(dimensions)));
    }
    return dimensions.intValue();
  }

  private static String user(JsonNode root) {
    JsonNode user = EmbeddingJson.field(root, "user");
    if (user != null && !user.isTextual()) {
      throw EmbeddingFailures.invalid("user", "'user' must be a string");
    }
    return user == null ? null : user.textValue();
  }
}

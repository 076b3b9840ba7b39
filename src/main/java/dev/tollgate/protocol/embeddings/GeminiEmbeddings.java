package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gemini's {@code models/{model}:embedContent} and {@code :batchEmbedContents} (protocols.md
 * §4.4) ↔ the canonical embeddings model.
 *
 * <p>Client mistakes throw {@link dev.tollgate.protocol.GatewayError.Failure} with an
 * INVALID_REQUEST error naming the field (400); a malformed upstream answer throws it with
 * UPSTREAM_ERROR (502).
 */
public final class GeminiEmbeddings {

  private GeminiEmbeddings() {}

  /**
   * An {@code :embedContent} body: always one input. The model comes from the URL path; the
   * body's optional {@code model} is ignored, as Google ignores it.
   */
  public static EmbeddingRequest decodeEmbedContent(String model, byte[] body) {
    JsonNode root = EmbeddingJson.requestObject(body);
    return new EmbeddingRequest(pathModel(model), List.of(GeminiEmbedContents.input(root, "")),
        GeminiEmbedContents.outputDimensionality(root, ""), false, null);
  }

  /**
   * A {@code :batchEmbedContents} body: one input per request, in order. Each request's
   * {@code model}, when given, must be the path's model, and all must ask the same
   * {@code outputDimensionality}: one upstream call answers them all.
   */
  public static EmbeddingRequest decodeBatchEmbedContents(String model, byte[] body) {
    String pathModel = pathModel(model);
    JsonNode requests = GeminiEmbedContents.get(EmbeddingJson.requestObject(body), "requests", "requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      throw EmbeddingFailures.invalid("requests", "'requests' must be a non-empty array of embedContent requests");
    }
    if (requests.size() > OpenAiEmbeddingInputs.MAX_INPUTS) {
      throw EmbeddingFailures.invalid("requests", "'requests' holds " + requests.size() + " items; at most "
          + OpenAiEmbeddingInputs.MAX_INPUTS + " can be embedded in one request");
    }
    List<EmbeddingInput> inputs = new ArrayList<>(requests.size());
    Integer dimensions = null;
    for (int i = 0; i < requests.size(); i++) {
      String prefix = "requests[" + i + "].";
      JsonNode request = requests.get(i);
      if (!request.isObject()) {
        throw EmbeddingFailures.invalid("requests[" + i + "]", "'requests[" + i + "]' must be an object with 'content'");
      }
      requireSameModel(request, pathModel, prefix);
      inputs.add(GeminiEmbedContents.input(request, prefix));
      Integer asked = GeminiEmbedContents.outputDimensionality(request, prefix);
      if (i == 0) {
        dimensions = asked;
      } else if (!Objects.equals(asked, dimensions)) {
        throw EmbeddingFailures.invalid(prefix + "outputDimensionality", "'" + prefix + "outputDimensionality' is "
            + sizeText(asked) + " but in requests[0] it is " + sizeText(dimensions)
            + ": every request of a batch must ask the same size");
      }
    }
    return new EmbeddingRequest(pathModel, inputs, dimensions, false, null);
  }

  /** The most requests Gemini takes in one {@code :batchEmbedContents} call; more are refused with a 400. */
  public static final int MAX_BATCH = 100;

  /**
   * The {@code :batchEmbedContents} bodies for a Gemini channel serving a client of another
   * protocol: one per {@value #MAX_BATCH} inputs, in order, since OpenAI takes up to 2048 in one
   * request. Their answers, concatenated in the same order, answer the request.
   */
  public static List<byte[]> encodeBatchRequests(EmbeddingRequest request, String upstreamModel) {
    List<EmbeddingInput> inputs = request.inputs();
    if (inputs.size() <= MAX_BATCH) {
      return List.of(encodeBatchRequest(request, upstreamModel));
    }
    List<byte[]> bodies = new ArrayList<>((inputs.size() + MAX_BATCH - 1) / MAX_BATCH);
    for (int from = 0; from < inputs.size(); from += MAX_BATCH) {
      List<EmbeddingInput> slice = inputs.subList(from, Math.min(inputs.size(), from + MAX_BATCH));
      bodies.add(encodeBatchRequest(new EmbeddingRequest(
          request.model(), slice, request.dimensions(), request.base64(), request.user()), upstreamModel, from));
    }
    return bodies;
  }

  /**
   * The {@code :batchEmbedContents} body for a Gemini channel serving a client of another
   * protocol; a batch of one serves a single input just as well.
   */
  public static byte[] encodeBatchRequest(EmbeddingRequest request, String upstreamModel) {
    return encodeBatchRequest(request, upstreamModel, 0);
  }

  /** @param firstIndex the index of the request's first input in the client's request, for errors */
  private static byte[] encodeBatchRequest(EmbeddingRequest request, String upstreamModel, int firstIndex) {
    String model = "models/" + GeminiEmbedContents.bareModel(upstreamModel);
    List<String> texts = new ArrayList<>(request.inputs().size());
    for (int i = 0; i < request.inputs().size(); i++) {
      switch (request.inputs().get(i)) {
        case EmbeddingInput.Text text -> texts.add(text.text());
        case EmbeddingInput.Tokens tokens -> throw EmbeddingFailures.invalid(
            request.inputs().size() == 1 && firstIndex == 0 ? "input" : "input[" + (firstIndex + i) + "]",
            "this model is served by Gemini, which takes text only: token arrays can only be served by an OpenAI-format channel;"
                + " send the text instead");
      }
    }
    return EmbeddingJson.write(256, json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("requests");
      for (String text : texts) {
        json.writeStartObject();
        json.writeStringField("model", model);
        json.writeObjectFieldStart("content");
        json.writeArrayFieldStart("parts");
        json.writeStartObject();
        json.writeStringField("text", text);
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        if (request.dimensions() != null) {
          json.writeNumberField("outputDimensionality", request.dimensions());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** A {@code :batchEmbedContents} answer; promptTokens is null, as Gemini reports no usage. */
  public static EmbeddingResponse decodeBatchResponse(byte[] body) {
    return GeminiEmbeddingAnswer.read(body, true);
  }

  /** An {@code :embedContent} answer: one vector; promptTokens is null, as Gemini reports no usage. */
  public static EmbeddingResponse decodeEmbedContentResponse(byte[] body) {
    return GeminiEmbeddingAnswer.read(body, false);
  }

  /**
   * The {@code :embedContent} answer for a Gemini client. More or fewer than one vector means the
   * upstream answered another count than was asked: UPSTREAM_ERROR.
   */
  public static byte[] encodeEmbedContentResponse(EmbeddingResponse response) {
    if (response.vectors().size() != 1) {
      throw EmbeddingFailures.upstream("the upstream answered " + response.vectors().size() + " embeddings for 1 input");
    }
    return EmbeddingJson.write(EmbeddingJson.textSizeHint(response), json -> {
      json.writeStartObject();
      json.writeFieldName("embedding");
      writeContentEmbedding(json, response.vectors().get(0));
      json.writeEndObject();
    });
  }

  /** The {@code :batchEmbedContents} answer for a Gemini client, in request order. */
  public static byte[] encodeBatchResponse(EmbeddingResponse response) {
    return EmbeddingJson.write(EmbeddingJson.textSizeHint(response), json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("embeddings");
      for (float[] vector : response.vectors()) {
        writeContentEmbedding(json, vector);
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private static void writeContentEmbedding(JsonGenerator json, float[] vector) throws IOException {
    json.writeStartObject();
    json.writeFieldName("values");
    EmbeddingJson.writeVector(json, vector);
    json.writeEndObject();
  }

  private static String sizeText(Integer dimensions) {
    return dimensions == null ? "not set" : dimensions.toString();
  }

  private static String pathModel(String model) {
    String bare = GeminiEmbedContents.bareModel(model);
    if (bare == null || bare.isBlank()) {
      throw EmbeddingFailures.invalid("model", "'model' is missing: give it in the path, /v1beta/models/{model}:embedContent");
    }
    return bare;
  }

  /** Google refuses a batch whose requests name another model than the path (protocols.md §4.4). */
  private static void requireSameModel(JsonNode request, String pathModel, String prefix) {
    JsonNode model = GeminiEmbedContents.get(request, "model", "model");
    if (model == null) {
      return;
    }
    if (!model.isTextual() || !pathModel.equals(GeminiEmbedContents.bareModel(model.textValue()))) {
      throw EmbeddingFailures.invalid(prefix + "model", "'" + prefix + "model' must be \"models/" + pathModel
          + "\", the model of the path");
    }
  }
}

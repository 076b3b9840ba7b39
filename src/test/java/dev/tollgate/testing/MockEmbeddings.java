package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * How the mock upstreams answer embeddings: input {@code i} (counted across the client's whole
 * request when {@code offset} says where a slice starts) gets the vector {@link #vector}, so a
 * test can tell every vector's input and order. Models: {@code embed-400} refuses, {@code
 * embed-500} fails; any other embeds.
 */
public final class MockEmbeddings {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Tokens the OpenAI mock reports per input. */
  public static final int TOKENS_PER_INPUT = 7;

  private MockEmbeddings() {}

  /** The vector for input {@code index} holding {@code text}: [index + 0.5, length, 0.25]. */
  public static float[] vector(int index, String text) {
    return new float[] {index + 0.5f, text.length(), 0.25f};
  }

  /** OpenAI's {@code /v1/embeddings}, answered in reverse index order (clients sort by index). */
  static void openAi(HttpServerResponse response, JsonNode request) {
    String model = request.path("model").asText();
    if (failed(response, model, "{\"error\":{\"message\":\"mock: bad embeddings input\",\"type\":\"invalid_request_error\"}}",
        "{\"error\":{\"message\":\"mock: embeddings exploded\",\"type\":\"server_error\"}}")) {
      return;
    }
    JsonNode input = request.path("input");
    ArrayNode inputs = JSON.createArrayNode();
    if (input.isArray() && (input.isEmpty() || !input.get(0).isNumber())) {
      inputs.addAll((ArrayNode) input);
    } else {
      inputs.add(input);
    }
    boolean base64 = request.path("encoding_format").asText("float").equals("base64");
    ObjectNode answer = JSON.createObjectNode().put("object", "list");
    ArrayNode data = answer.putArray("data");
    for (int i = inputs.size() - 1; i >= 0; i--) {
      JsonNode item = inputs.get(i);
      float[] vector = vector(i, item.isTextual() ? item.textValue() : "#".repeat(item.size()));
      ObjectNode entry = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
          bytes.putFloat(value);
        }
        entry.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = entry.putArray("embedding");
        for (float value : vector) {
          values.add(value);
        }
      }
    }
    answer.put("model", model);
    answer.putObject("usage").put("prompt_tokens", TOKENS_PER_INPUT * inputs.size())
        .put("total_tokens", TOKENS_PER_INPUT * inputs.size());
    response.putHeader("content-type", "application/json").end(answer.toString());
  }

  /**
   * Gemini's {@code :batchEmbedContents}, with Google's cap of 100 requests. The first input's
   * index is taken from its text when it reads {@code t<N>} (the tests' long batches), else 0.
   */
  static void geminiBatch(HttpServerResponse response, String model, JsonNode request) {
    if (failed(response, model, "{\"error\":{\"code\":400,\"message\":\"mock: bad embeddings input\",\"status\":\"INVALID_ARGUMENT\"}}",
        "{\"error\":{\"code\":500,\"message\":\"mock: embeddings exploded\",\"status\":\"INTERNAL\"}}")) {
      return;
    }
    JsonNode requests = request.path("requests");
    if (requests.size() > 100) {
      response.setStatusCode(400).putHeader("content-type", "application/json").end("{\"error\":{\"code\":400,"
          + "\"message\":\"* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\",\"status\":\"INVALID_ARGUMENT\"}}");
      return;
    }
    int offset = firstIndex(requests.path(0).at("/content/parts/0/text").asText());
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode embeddings = answer.putArray("embeddings");
    for (int i = 0; i < requests.size(); i++) {
      ArrayNode values = embeddings.addObject().putArray("values");
      for (float value : vector(offset + i, requests.get(i).at("/content/parts/0/text").asText())) {
        values.add(value);
      }
    }
    response.putHeader("content-type", "application/json").end(answer.toString());
  }

  private static int firstIndex(String text) {
    return text.matches("t\\d+") ? Integer.parseInt(text.substring(1)) : 0;
  }

  private static boolean failed(HttpServerResponse response, String model, String refusal, String explosion) {
    String bare = model.startsWith("models/") ? model.substring("models/".length()) : model;
    switch (bare) {
      case "embed-400" -> response.setStatusCode(400).putHeader("content-type", "application/json").end(refusal);
      case "embed-500" -> response.setStatusCode(500).putHeader("content-type", "application/json").end(explosion);
      default -> {
        return false;
      }
    }
    return true;
  }
}

package dev.tollgate.protocol.embeddings;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An upstream's embeddings answer in the gateway's own terms.
 *
 * <p>The vectors are not copied: an answer can hold millions of floats. Whoever builds a response
 * hands its arrays over and no one writes to them afterwards.
 *
 * @param vectors one per input, in input order
 * @param promptTokens the upstream's count, or null when it gave none (Gemini never does): the
 *     relay then bills by its own estimate
 */
public record EmbeddingResponse(List<float[]> vectors, Integer promptTokens) {

  public EmbeddingResponse {
    vectors = List.copyOf(vectors);
  }

  /**
   * This answer, checked to hold one vector per input of the request; an upstream answering
   * another count misbehaved (UPSTREAM_ERROR), and passing it on would pair texts with the
   * wrong vectors.
   */
  public EmbeddingResponse requireOnePerInput(EmbeddingRequest request) {
    if (vectors.size() != request.inputs().size()) {
      throw new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR,
          "the upstream answered " + vectors.size() + " embeddings for " + request.inputs().size() + " inputs"));
    }
    return this;
  }

  /**
   * The answers to consecutive slices of one request, as one answer: vectors in slice order, and
   * the token count known only when every slice reported one.
   */
  public static EmbeddingResponse concat(List<EmbeddingResponse> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<float[]> vectors = new java.util.ArrayList<>();
    Integer tokens = 0;
    for (EmbeddingResponse part : parts) {
      vectors.addAll(part.vectors());
      tokens = tokens == null || part.promptTokens() == null ? null : tokens + part.promptTokens();
    }
    return new EmbeddingResponse(vectors, tokens);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof EmbeddingResponse that)
        || !Objects.equals(promptTokens, that.promptTokens)
        || vectors.size() != that.vectors.size()) {
      return false;
    }
    for (int i = 0; i < vectors.size(); i++) {
      if (!Arrays.equals(vectors.get(i), that.vectors.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = Objects.hashCode(promptTokens);
    for (float[] vector : vectors) {
      hash = 31 * hash + Arrays.hashCode(vector);
    }
    return hash;
  }

  @Override
  public String toString() {
    return "EmbeddingResponse[" + vectors.size() + " vectors, promptTokens=" + promptTokens + "]";
  }
}

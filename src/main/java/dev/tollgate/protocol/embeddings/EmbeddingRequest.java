package dev.tollgate.protocol.embeddings;

import java.util.List;

/**
 * An embeddings request in the gateway's own terms, whichever protocol the client spoke.
 *
 * @param inputs one vector is answered per input, in this order
 * @param dimensions the vector size the client asked for, or null for the model's own
 * @param base64 the client wants OpenAI's base64 encoding (little-endian float32) in the answer
 * @param user OpenAI's end-user id, or null
 */
public record EmbeddingRequest(String model, List<EmbeddingInput> inputs, Integer dimensions, boolean base64, String user) {

  public EmbeddingRequest {
    inputs = List.copyOf(inputs);
  }
}

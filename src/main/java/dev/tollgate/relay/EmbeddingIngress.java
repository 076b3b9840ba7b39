package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.TopLevelModel;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.embeddings.EmbeddingRequest;
import dev.tollgate.protocol.embeddings.EmbeddingResponse;
import dev.tollgate.protocol.embeddings.GeminiEmbeddingPassthrough;
import dev.tollgate.protocol.embeddings.GeminiEmbeddings;
import dev.tollgate.protocol.embeddings.OpenAiEmbeddings;
import io.vertx.ext.web.RoutingContext;

/**
 * One client embeddings endpoint — OpenAI's {@code /v1/embeddings}, Gemini's {@code :embedContent}
 * or {@code :batchEmbedContents}: how it reads requests, passes them to an upstream of its own
 * protocol, and words answers and errors. The decoded request waits for the relay in the routing
 * context, under {@link #REQUEST}.
 */
final class EmbeddingIngress implements Ingress {

  static final String REQUEST = "tollgate.embeddings.request";

  /** A decoded request and the bytes it came in, for a same-protocol passthrough. */
  record Embedding(EmbeddingRequest request, byte[] body) {}

  /** The three shapes a client may send. */
  enum Shape { OPENAI, GEMINI_SINGLE, GEMINI_BATCH }

  /** An answer from an upstream of the client's own protocol: what the client gets, and what it says. */
  record SameProtocolAnswer(byte[] forClient, EmbeddingResponse decoded) {}

  private final Shape shape;
  private final ChatCodec errors;

  /** @param errors the chat codec of the client's protocol, which words its errors */
  EmbeddingIngress(Shape shape, ChatCodec errors) {
    this.shape = shape;
    this.errors = errors;
  }

  @Override
  public WireProtocol protocol() {
    return shape == Shape.OPENAI ? WireProtocol.OPENAI : WireProtocol.GEMINI;
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    EmbeddingRequest request = switch (shape) {
      case OPENAI -> OpenAiEmbeddings.decodeRequest(body);
      case GEMINI_SINGLE -> GeminiEmbeddings.decodeEmbedContent(pathModel(rc), body);
      case GEMINI_BATCH -> GeminiEmbeddings.decodeBatchEmbedContents(pathModel(rc), body);
    };
    rc.put(REQUEST, new Embedding(request, body));
    // The text of every input; token-array inputs count as they are (their ids are tokens).
    return ClientRequest.ofEndpoint(protocol(), request.model(),
        () -> new ClientRequest.PromptText(OpenAiEmbeddings.inputText(request), 0), 0);
  }

  private static String pathModel(RoutingContext rc) {
    return GeminiTarget.model(rc.pathParam(Relays.GEMINI_TARGET));
  }

  /** The client's own body for an upstream of its protocol, with only the model changed. */
  byte[] sameProtocolBody(Embedding embedding, String upstreamModel) {
    return switch (shape) {
      case OPENAI -> TopLevelModel.of(embedding.body()).upstreamBody(upstreamModel);
      case GEMINI_SINGLE -> GeminiEmbeddingPassthrough.batchOfOne(embedding.body(), upstreamModel);
      case GEMINI_BATCH -> GeminiEmbeddingPassthrough.renamed(embedding.body(), embedding.request().model(), upstreamModel);
    };
  }

  /**
   * An upstream of the client's own protocol answered: read it (to meter it and to catch garbage)
   * and pass it on as it came — unwrapped from its batch of one for {@code :embedContent}.
   *
   * @throws GatewayError.Failure UPSTREAM_ERROR when the answer cannot be read
   */
  SameProtocolAnswer sameProtocolAnswer(byte[] answer, EmbeddingRequest request) {
    return switch (shape) {
      case OPENAI -> new SameProtocolAnswer(answer, OpenAiEmbeddings.decodeResponse(answer).requireOnePerInput(request));
      case GEMINI_BATCH -> new SameProtocolAnswer(answer, GeminiEmbeddings.decodeBatchResponse(answer).requireOnePerInput(request));
      case GEMINI_SINGLE -> {
        EmbeddingResponse decoded = GeminiEmbeddings.decodeBatchResponse(answer).requireOnePerInput(request);
        yield new SameProtocolAnswer(GeminiEmbeddingPassthrough.firstOfBatch(answer), decoded);
      }
    };
  }

  /** The answer for the client, from an upstream of another protocol. */
  byte[] encodeAnswer(EmbeddingResponse response, EmbeddingRequest request, int promptTokens) {
    return switch (shape) {
      case OPENAI -> OpenAiEmbeddings.encodeResponse(response, request.model(), request.base64(), promptTokens);
      case GEMINI_SINGLE -> GeminiEmbeddings.encodeEmbedContentResponse(response);
      case GEMINI_BATCH -> GeminiEmbeddings.encodeBatchResponse(response);
    };
  }

  @Override
  public byte[] errorBody(GatewayError error) {
    return errors.encodeError(error);
  }

  @Override
  public int errorStatus(GatewayError error) {
    return errors.status(error);
  }
}

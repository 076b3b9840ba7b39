package dev.tollgate.protocol;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.Setting;
import dev.tollgate.protocol.canonical.StreamEvent;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One wire protocol's chat codec: everything needed to convert between its bytes and the
 * canonical model, in both roles — as the client's protocol (decode requests, encode answers)
 * and as an upstream's (encode requests, decode answers). Pure: no HTTP, no storage.
 *
 * <p>Decoders reject what cannot be converted with {@link GatewayError.Failure} carrying an
 * INVALID_REQUEST error that names the field (protocols.md §5.16).
 */
public interface ChatCodec {

  WireProtocol protocol();

  /**
   * Client bytes → canonical.
   *
   * @param target what the URL said, for protocols that put the model or the streaming flag
   *     there (Gemini); {@link RequestTarget#NONE} otherwise
   */
  ChatRequest decodeRequest(byte[] body, RequestTarget target);

  /**
   * Canonical → the upstream's request body, for the model name the upstream knows, with the
   * settings of the request this protocol has no field for (left out of the body).
   */
  EncodedRequest encodeRequest(ChatRequest request, String upstreamModel);

  /** How this protocol's clients name a setting, for telling them it was dropped (§5.16). */
  String paramName(Setting setting);

  /**
   * An upstream's complete answer → canonical.
   *
   * @param request the request it answers, as it was encoded: an answer may depend on how the
   *     request was expressed (Anthropic's structured output comes back as a forced tool call)
   */
  ChatResponse decodeResponse(byte[] body, ChatRequest request);

  /** Canonical → the answer the client receives, naming the model as the client asked for it. */
  byte[] encodeResponse(ChatResponse response, String clientModel, AnswerOptions options);

  default byte[] encodeResponse(ChatResponse response, String clientModel) {
    return encodeResponse(response, clientModel, AnswerOptions.DEFAULT);
  }

  /** A fresh decoder for one upstream stream answering {@code request} (see {@link #decodeResponse}). */
  StreamDecoder newStreamDecoder(ChatRequest request);

  /** A fresh encoder for one client stream. */
  StreamEncoder newStreamEncoder(ChatRequest request, StreamOptions options);

  /** The error body the client's SDK expects, with its own vocabulary for the code. */
  byte[] encodeError(GatewayError error);

  /** The HTTP status this protocol uses for the error (Anthropic's 529, Gemini's codes, …). */
  default int status(GatewayError error) {
    return error.status();
  }

  /** An upstream request body, and the request's settings it could not express. */
  record EncodedRequest(byte[] body, Set<Setting> dropped) {
    public EncodedRequest {
      dropped = Set.copyOf(dropped);
    }

    /** A body that expresses every setting of its request (a passthrough). */
    public static EncodedRequest whole(byte[] body) {
      return new EncodedRequest(body, Set.of());
    }
  }

  /** The URL target of a request, for protocols that carry model or streaming in the path. */
  record RequestTarget(String model, boolean stream) {
    public static final RequestTarget NONE = new RequestTarget(null, false);
  }

  /**
   * What the client wants in its answer beyond what its request body says.
   *
   * @param reasoningText reasoning text where the protocol has no standard field for it (OpenAI
   *     {@code reasoning_content}); off unless the client opted in, as strict clients reject
   *     unknown fields. Protocols with a standard place for thinking ignore it.
   */
  record AnswerOptions(boolean reasoningText) {
    public static final AnswerOptions DEFAULT = new AnswerOptions(false);
  }

  /**
   * @param includeUsage the client asked for a usage chunk (OpenAI {@code include_usage})
   * @param jsonArray Gemini {@code streamGenerateContent} without {@code alt=sse}: a JSON array
   *     instead of SSE
   * @param reasoningText as in {@link AnswerOptions#reasoningText()}
   */
  record StreamOptions(boolean includeUsage, boolean jsonArray, boolean reasoningText) {
    public StreamOptions(boolean includeUsage, boolean jsonArray) {
      this(includeUsage, jsonArray, false);
    }
  }

  /** Upstream stream bytes, in chunks split anywhere → canonical events. One per stream. */
  interface StreamDecoder {
    void feed(byte[] chunk, Consumer<StreamEvent> out);

    /** The upstream closed the stream: emit what completes it (or an error if it was cut). */
    void finish(Consumer<StreamEvent> out);
  }

  /** Canonical events → client stream bytes. One per stream; may return an empty array. */
  interface StreamEncoder {

    /** An SSE comment: every SSE client skips it (protocols.md §6.19). */
    String SSE_KEEPALIVE = ": keepalive\n\n";

    byte[] encode(StreamEvent event);

    /** The content type of the stream it writes. */
    String contentType();

    /**
     * Bytes that keep an idle stream open and mean nothing to the client, valid between any two
     * outputs of {@link #encode}: an SSE comment, unless the stream is not SSE.
     */
    default byte[] keepalive() {
      return SSE_KEEPALIVE.getBytes(StandardCharsets.US_ASCII);
    }
  }
}

package dev.tollgate.protocol.gemini;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.Setting;
import java.time.Clock;

/**
 * Gemini native ({@code v1beta} {@code generateContent} / {@code streamGenerateContent}) ↔ the
 * canonical model (shared/protocols.md §4, §5). Each step is one small class; this one only
 * composes them. Stateless and thread-safe; stream coders are made fresh per stream.
 */
public final class GeminiCodec implements ChatCodec {

  private final Clock clock;

  public GeminiCodec() {
    this(Clock.systemUTC());
  }

  /** @param clock stamps {@link ChatResponse#created()}, which Gemini answers do not carry */
  public GeminiCodec(Clock clock) {
    this.clock = clock;
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.GEMINI;
  }

  @Override
  public ChatRequest decodeRequest(byte[] body, RequestTarget target) {
    return GeminiRequestDecoder.decode(body, target == null ? RequestTarget.NONE : target);
  }

  /** The model travels in the upstream URL; the body never names it. */
  @Override
  public EncodedRequest encodeRequest(ChatRequest request, String upstreamModel) {
    return new EncodedRequest(GeminiRequestEncoder.encode(request), GeminiRequestEncoder.dropped(request));
  }

  @Override
  public String paramName(Setting setting) {
    return switch (setting) {
      case PRESENCE_PENALTY -> "presencePenalty";
      case FREQUENCY_PENALTY -> "frequencyPenalty";
      case SEED -> "seed";
      case TOP_K -> "topK";
      case NO_PARALLEL_TOOL_CALLS -> "parallelToolCalls"; // no Gemini field: only a name to report
    };
  }

  @Override
  public ChatResponse decodeResponse(byte[] body, ChatRequest request) {
    return GeminiResponseDecoder.decode(body, clock.instant().getEpochSecond());
  }

  @Override
  public byte[] encodeResponse(ChatResponse response, String clientModel, AnswerOptions options) {
    return GeminiResponseEncoder.encode(response, clientModel);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request) {
    return new GeminiStreamDecoder();
  }

  @Override
  public StreamEncoder newStreamEncoder(ChatRequest request, StreamOptions options) {
    boolean includeThoughts = request.reasoning() != null && request.reasoning().includeThoughts();
    return new GeminiStreamEncoder(request.model(), includeThoughts, options != null && options.jsonArray());
  }

  @Override
  public byte[] encodeError(GatewayError error) {
    return GeminiErrors.body(error);
  }

  @Override
  public int status(GatewayError error) {
    return GeminiErrors.status(error.code());
  }
}

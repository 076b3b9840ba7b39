package dev.tollgate.protocol.openai;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.Setting;
import java.time.Clock;

/**
 * The OpenAI Chat Completions codec for conversion (protocols.md §1, §5). Same protocol in and out
 * never comes here: that is the passthrough ({@link ChatRequestInspector}, {@link
 * OpenAiStreamSniffer}). Each direction lives in its own class; this one only wires them.
 *
 * <p>Not carried by the canonical model, so the caller reads them from the raw request itself:
 * {@code stream_options.include_usage} (for {@link StreamOptions}, e.g. with {@link
 * ChatRequestInspector}).
 */
public final class OpenAiCodec implements ChatCodec {

  private final Clock clock;

  public OpenAiCodec() {
    this(Clock.systemUTC());
  }

  /** @param clock for {@code created} when the upstream gave none */
  public OpenAiCodec(Clock clock) {
    this.clock = clock;
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  /** The model and the streaming flag come from the body; {@code target} is ignored. */
  @Override
  public ChatRequest decodeRequest(byte[] body, RequestTarget target) {
    return OpenAiRequestDecoder.decode(body);
  }

  @Override
  public EncodedRequest encodeRequest(ChatRequest request, String upstreamModel) {
    return new EncodedRequest(OpenAiRequestEncoder.encode(request, upstreamModel), OpenAiRequestEncoder.dropped(request));
  }

  @Override
  public String paramName(Setting setting) {
    return switch (setting) {
      case PRESENCE_PENALTY -> "presence_penalty";
      case FREQUENCY_PENALTY -> "frequency_penalty";
      case SEED -> "seed";
      case TOP_K -> "top_k";
      case NO_PARALLEL_TOOL_CALLS -> "parallel_tool_calls";
    };
  }

  @Override
  public ChatResponse decodeResponse(byte[] body, ChatRequest request) {
    return OpenAiResponseDecoder.decode(body);
  }

  @Override
  public byte[] encodeResponse(ChatResponse response, String clientModel, AnswerOptions options) {
    return OpenAiResponseEncoder.encode(response, clientModel, options.reasoningText(), clock);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request) {
    return new OpenAiStreamDecoder();
  }

  @Override
  public StreamEncoder newStreamEncoder(ChatRequest request, StreamOptions options) {
    return new OpenAiStreamEncoder(request, options, clock);
  }

  @Override
  public byte[] encodeError(GatewayError error) {
    return OpenAiErrors.body(error);
  }
}

package dev.tollgate.protocol.anthropic;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;

/**
 * The Anthropic Messages codec (protocols.md §3, §5): {@code POST /v1/messages} bodies, answers,
 * SSE streams and errors, to and from the canonical model. Stateless; each stream gets its own
 * decoder or encoder.
 */
public final class AnthropicCodec implements ChatCodec {

  @Override
  public WireProtocol protocol() {
    return WireProtocol.ANTHROPIC;
  }

  /** The URL target carries nothing for Anthropic: model and stream flag are in the body. */
  @Override
  public ChatRequest decodeRequest(byte[] body, RequestTarget target) {
    return AnthropicRequestDecoder.decode(body);
  }

  @Override
  public byte[] encodeRequest(ChatRequest request, String upstreamModel) {
    return AnthropicRequestEncoder.encode(request, upstreamModel);
  }

  @Override
  public ChatResponse decodeResponse(byte[] body) {
    return AnthropicResponseDecoder.decode(body);
  }

  @Override
  public byte[] encodeResponse(ChatResponse response, String clientModel, AnswerOptions options) {
    return AnthropicResponseEncoder.encode(response, clientModel);
  }

  @Override
  public StreamDecoder newStreamDecoder() {
    return new AnthropicStreamDecoder();
  }

  @Override
  public StreamEncoder newStreamEncoder(ChatRequest request, StreamOptions options) {
    return new AnthropicStreamEncoder(request);
  }

  @Override
  public byte[] encodeError(GatewayError error) {
    return AnthropicErrors.body(error);
  }
}

package dev.tollgate.protocol.anthropic;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.Setting;

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
  public EncodedRequest encodeRequest(ChatRequest request, String upstreamModel) {
    return new EncodedRequest(AnthropicRequestEncoder.encode(request, upstreamModel), AnthropicRequestEncoder.dropped(request));
  }

  @Override
  public String paramName(Setting setting) {
    return switch (setting) {
      case PRESENCE_PENALTY -> "presence_penalty";
      case FREQUENCY_PENALTY -> "frequency_penalty";
      case SEED -> "seed";
      case TOP_K -> "top_k";
      case NO_PARALLEL_TOOL_CALLS -> "disable_parallel_tool_use";
    };
  }

  @Override
  public ChatResponse decodeResponse(byte[] body, ChatRequest request) {
    return AnthropicResponseDecoder.decode(body, JsonOutputTool.of(request));
  }

  @Override
  public byte[] encodeResponse(ChatResponse response, String clientModel, AnswerOptions options) {
    return AnthropicResponseEncoder.encode(response, clientModel);
  }

  @Override
  public StreamDecoder newStreamDecoder(ChatRequest request) {
    return new AnthropicStreamDecoder(JsonOutputTool.of(request));
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

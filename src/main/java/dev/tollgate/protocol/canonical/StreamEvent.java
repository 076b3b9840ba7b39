package dev.tollgate.protocol.canonical;

/**
 * What stream decoders emit and stream encoders consume (protocols.md §5.14). Encoders are state
 * machines over these events; decoders accept bytes in any chunking.
 */
public sealed interface StreamEvent {

  /** The answer began. {@code inputUsage} is known up front on some protocols, else null. */
  record Start(String id, String model, TokenUsage inputUsage) implements StreamEvent {}

  record TextDelta(String text) implements StreamEvent {}

  /**
   * Reasoning text, or (text null) the signature that closes a thinking block. {@code vendor}
   * says whose signature it is (as on {@code ContentPart.Thinking}), so that a client of another
   * protocol can hand it back to the right upstream; null when unknown.
   */
  record ThinkingDelta(String text, String signature, String vendor) implements StreamEvent {}

  /**
   * A tool call began; {@code callIndex} counts calls within the answer from 0. {@code
   * thoughtSignature} is Gemini's signature issued with the call, or null (see {@link
   * ContentPart.ToolCall}).
   */
  record ToolCallStart(int callIndex, String id, String name, String thoughtSignature) implements StreamEvent {

    public ToolCallStart(int callIndex, String id, String name) {
      this(callIndex, id, name, null);
    }
  }

  /** A piece of a call's JSON arguments, to append. */
  record ToolArgsDelta(int callIndex, String json) implements StreamEvent {}

  /** The current content block ended. */
  record BlockStop() implements StreamEvent {}

  /** The answer is complete; {@code usage} may be null when the upstream sent none. */
  record Finish(FinishReason reason, TokenUsage usage) implements StreamEvent {}

  /** The upstream failed mid-answer. */
  record Error(dev.tollgate.protocol.GatewayError error) implements StreamEvent {}
}

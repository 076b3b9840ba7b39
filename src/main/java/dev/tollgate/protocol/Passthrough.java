package dev.tollgate.protocol;

import dev.tollgate.sse.SseEvent;

/**
 * What metering needs to read from a protocol's own answers when they are relayed untouched
 * (same protocol in and out): usage, completeness, errors — and how to end a stream that failed.
 */
public interface Passthrough {

  /** Counts tokens of generated text (the caller's estimator). */
  @FunctionalInterface
  interface TokenCounter {
    int count(String text);
  }

  /** A complete answer: whether it is one well-formed JSON object, and its usage (null if none). */
  record AnswerFacts(boolean wellFormed, Usage usage) {}

  /** Watches one relayed stream. */
  interface StreamWatch {

    /** Reads one event; returns true when it goes on to the client. */
    boolean onEvent(SseEvent event);

    /** The upstream's usage, or null when it sent none. */
    Usage reportedUsage();

    /** Completion tokens estimated from the text seen (for when usage is missing). */
    int estimatedCompletionTokens();

    /** The answer reached its end marker: EOF now is a normal end, not a cut. */
    boolean complete();

    /** The upstream told of an error inside the stream. */
    boolean sawError();
  }

  WireProtocol protocol();

  /**
   * @param clientWantsUsage the client asked for usage itself (the gateway may have asked for it on
   *     the client's behalf, and then drops it again)
   */
  StreamWatch watchStream(boolean clientWantsUsage, TokenCounter counter);

  AnswerFacts readAnswer(byte[] body);

  /** The generated text of a complete answer, for estimates. */
  String answerText(byte[] body);

  /** The event that ends a stream which failed after its first byte, in this protocol's shape. */
  byte[] streamError(GatewayError error);
}

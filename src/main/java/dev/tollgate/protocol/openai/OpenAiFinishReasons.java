package dev.tollgate.protocol.openai;

import dev.tollgate.protocol.canonical.FinishReason;

/** OpenAI {@code finish_reason} ↔ canonical (protocols.md §5.12). */
final class OpenAiFinishReasons {

  private OpenAiFinishReasons() {}

  /** An upstream's reason; null (or a value we do not know) is OTHER. */
  static FinishReason decode(String reason, boolean sawToolCall) {
    FinishReason decoded = reason == null ? FinishReason.OTHER : switch (reason) {
      case "stop" -> FinishReason.STOP;
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
    return inferToolCalls(decoded, sawToolCall);
  }

  /** The reason a client sees. */
  static String encode(FinishReason reason, boolean sawToolCall) {
    return switch (inferToolCalls(reason == null ? FinishReason.OTHER : reason, sawToolCall)) {
      case STOP, STOP_SEQUENCE, PAUSE, OTHER -> "stop";
      case LENGTH -> "length";
      case TOOL_CALLS -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
    };
  }

  /**
   * Rule (1) of §5.12: a turn that called tools and says "stop" wants its tools run (Gemini, and
   * OpenAI-compatible vendors that say "stop" after tool calls).
   */
  private static FinishReason inferToolCalls(FinishReason reason, boolean sawToolCall) {
    return reason == FinishReason.STOP && sawToolCall ? FinishReason.TOOL_CALLS : reason;
  }
}

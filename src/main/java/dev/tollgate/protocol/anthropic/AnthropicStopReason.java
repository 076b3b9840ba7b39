package dev.tollgate.protocol.anthropic;

import dev.tollgate.protocol.canonical.FinishReason;

/** Anthropic {@code stop_reason} ↔ canonical {@link FinishReason} (protocols.md §5.12). */
final class AnthropicStopReason {

  private AnthropicStopReason() {}

  static FinishReason toCanonical(String stopReason) {
    if (stopReason == null) {
      return FinishReason.OTHER;
    }
    return switch (stopReason) {
      case "end_turn" -> FinishReason.STOP;
      case "stop_sequence" -> FinishReason.STOP_SEQUENCE;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      case "pause_turn" -> FinishReason.PAUSE;
      default -> FinishReason.OTHER;
    };
  }

  /**
   * The client-side value. An answer with tool calls that says STOP is a tool_use turn (Gemini and
   * some OpenAI-compatible vendors say "stop" after calls). STOP_SEQUENCE becomes end_turn: the
   * canonical model does not carry which sequence matched, and Anthropic clients read
   * {@code stop_sequence} when the reason says one did — never guess it.
   */
  static String toWire(FinishReason reason, boolean hasToolCalls) {
    if (reason == null) {
      return hasToolCalls ? "tool_use" : "end_turn";
    }
    return switch (reason) {
      case STOP -> hasToolCalls ? "tool_use" : "end_turn";
      case STOP_SEQUENCE, OTHER -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALLS -> "tool_use";
      case CONTENT_FILTER -> "refusal";
      case PAUSE -> "pause_turn";
    };
  }
}

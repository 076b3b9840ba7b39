package dev.tollgate.protocol.canonical;

import java.util.List;

/**
 * A complete (non-streamed) answer.
 *
 * @param id the upstream's response id
 * @param choices one per generated candidate, in index order
 */
public record ChatResponse(String id, String model, long created, List<Choice> choices, TokenUsage usage) {

  public ChatResponse {
    choices = List.copyOf(choices);
  }

  /** One candidate answer: the assistant's parts (text, thinking, tool calls) and why it ended. */
  public record Choice(int index, List<ContentPart> parts, FinishReason finishReason) {
    public Choice {
      parts = List.copyOf(parts);
    }
  }
}

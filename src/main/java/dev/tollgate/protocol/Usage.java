package dev.tollgate.protocol;

import dev.tollgate.protocol.canonical.TokenUsage;

/**
 * Token usage of one answer. {@code cachedTokens} is part of {@code promptTokens} and {@code
 * reasoningTokens} part of {@code completionTokens}, as OpenAI counts them.
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

  public static final Usage NONE = new Usage(0, 0, 0, 0);

  /** The hub's counts in this shape (prompt = every input token, cached ones included). */
  public static Usage of(TokenUsage usage) {
    return new Usage((int) usage.inputTotal(), (int) usage.output(), (int) usage.cacheRead(), (int) usage.reasoning());
  }
}

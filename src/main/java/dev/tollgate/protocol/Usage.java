package dev.tollgate.protocol;

/**
 * Token usage of one answer. {@code cachedTokens} is part of {@code promptTokens} and {@code
 * reasoningTokens} part of {@code completionTokens}, as OpenAI counts them.
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

  public static final Usage NONE = new Usage(0, 0, 0, 0);
}

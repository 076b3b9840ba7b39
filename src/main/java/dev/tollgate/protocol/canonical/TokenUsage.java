package dev.tollgate.protocol.canonical;

/**
 * Token counts as the hub keeps them (protocols.md §5.13).
 *
 * @param inputTotal every prompt token, cached ones included
 * @param cacheRead prompt tokens read from a cache (part of inputTotal)
 * @param cacheWrite prompt tokens written to a cache (part of inputTotal)
 * @param output every generated token, reasoning included
 * @param reasoning reasoning tokens (part of output)
 */
public record TokenUsage(long inputTotal, long cacheRead, long cacheWrite, long output, long reasoning) {

  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);
}

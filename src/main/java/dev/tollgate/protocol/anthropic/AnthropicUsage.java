package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.TokenUsage;

/**
 * Anthropic {@code usage} ↔ canonical {@link TokenUsage} (protocols.md §5.13). Anthropic's
 * {@code input_tokens} excludes cache reads and writes; the canonical total includes them.
 */
final class AnthropicUsage {

  private AnthropicUsage() {}

  static TokenUsage toCanonical(JsonNode usage) {
    long input = AnthropicJson.count(usage, "input_tokens");
    long cacheWrite = AnthropicJson.count(usage, "cache_creation_input_tokens");
    long cacheRead = AnthropicJson.count(usage, "cache_read_input_tokens");
    long output = AnthropicJson.count(usage, "output_tokens");
    return new TokenUsage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, output, 0);
  }

  /** Writes the four client fields into {@code target}. */
  static ObjectNode write(TokenUsage usage, ObjectNode target) {
    TokenUsage u = usage == null ? TokenUsage.ZERO : usage;
    target.put("input_tokens", uncachedInput(u));
    target.put("output_tokens", u.output());
    target.put("cache_creation_input_tokens", u.cacheWrite());
    target.put("cache_read_input_tokens", u.cacheRead());
    return target;
  }

  static long uncachedInput(TokenUsage usage) {
    return Math.max(0, usage.inputTotal() - usage.cacheRead() - usage.cacheWrite());
  }
}

package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.TokenUsage;

/** OpenAI {@code usage} ↔ canonical {@link TokenUsage} (protocols.md §5.13), as JSON trees. */
final class OpenAiTokenUsage {

  private OpenAiTokenUsage() {}

  /** The usage object, or null when there is none (absent, null or not an object). */
  static TokenUsage decode(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return new TokenUsage(
        count(usage, "prompt_tokens"),
        count(usage.get("prompt_tokens_details"), "cached_tokens"),
        0,
        count(usage, "completion_tokens"),
        count(usage.get("completion_tokens_details"), "reasoning_tokens"));
  }

  static ObjectNode encode(TokenUsage usage) {
    ObjectNode out = OpenAiTree.object();
    out.put("prompt_tokens", usage.inputTotal());
    out.put("completion_tokens", usage.output());
    out.put("total_tokens", usage.inputTotal() + usage.output());
    out.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheRead());
    out.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoning());
    return out;
  }

  private static long count(JsonNode object, String field) {
    JsonNode value = object == null ? null : object.get(field);
    return value != null && value.isNumber() ? Math.max(0, value.longValue()) : 0;
  }
}

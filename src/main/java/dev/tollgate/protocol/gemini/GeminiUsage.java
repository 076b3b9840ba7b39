package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.TokenUsage;

/** {@code usageMetadata} ↔ {@link TokenUsage} (protocols.md §5.13). */
final class GeminiUsage {

  private GeminiUsage() {}

  /**
   * Gemini's prompt count includes cached tokens and its candidates count excludes thoughts;
   * absent counts are 0. Null when there is no usage object.
   */
  static TokenUsage decode(JsonNode usageMetadata) {
    if (usageMetadata == null || !usageMetadata.isObject()) {
      return null;
    }
    long prompt = count(usageMetadata, "promptTokenCount") + count(usageMetadata, "toolUsePromptTokenCount");
    long thoughts = count(usageMetadata, "thoughtsTokenCount");
    long candidates = count(usageMetadata, "candidatesTokenCount");
    return new TokenUsage(prompt, count(usageMetadata, "cachedContentTokenCount"), 0, candidates + thoughts, thoughts);
  }

  static ObjectNode encode(TokenUsage usage) {
    ObjectNode out = GeminiJson.MAPPER.createObjectNode();
    out.put("promptTokenCount", usage.inputTotal());
    out.put("candidatesTokenCount", Math.max(0, usage.output() - usage.reasoning()));
    if (usage.reasoning() > 0) {
      out.put("thoughtsTokenCount", usage.reasoning());
    }
    if (usage.cacheRead() > 0) {
      out.put("cachedContentTokenCount", usage.cacheRead());
    }
    out.put("totalTokenCount", usage.inputTotal() + usage.output());
    return out;
  }

  private static long count(JsonNode usage, String name) {
    JsonNode value = GeminiFields.get(usage, name);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : 0;
  }
}

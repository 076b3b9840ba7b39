package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.StringJoiner;

/**
 * Reads one Gemini {@code EmbedContentRequest} (the body of {@code :embedContent}, or one item of
 * {@code :batchEmbedContents}). Gemini accepts snake_case on input as well as camelCase
 * (protocols.md §4), so both are read. {@code taskType} and {@code title} only tune a Gemini
 * model: they travel on a Gemini passthrough and are dropped on conversion.
 */
final class GeminiEmbedContents {

  private GeminiEmbedContents() {}

  /**
   * The text parts of the content joined by newlines into one input: Gemini embeds a multi-part
   * content as one vector. Parts that are not text (images, files) are refused rather than
   * dropped: a vector of half the content would be silently wrong.
   */
  static EmbeddingInput.Text input(JsonNode request, String prefix) {
    String contentPath = prefix + "content";
    JsonNode content = get(request, "content", "content");
    if (content == null) {
      throw EmbeddingFailures.invalid(contentPath, "'" + contentPath + "' is required: {\"parts\":[{\"text\":\"...\"}]}");
    }
    if (!content.isObject()) {
      throw EmbeddingFailures.invalid(contentPath, "'" + contentPath + "' must be an object with 'parts'");
    }
    String partsPath = contentPath + ".parts";
    JsonNode parts = get(content, "parts", "parts");
    if (parts == null || !parts.isArray() || parts.isEmpty()) {
      throw EmbeddingFailures.invalid(partsPath, "'" + partsPath + "' must be a non-empty array of text parts");
    }
    StringJoiner text = new StringJoiner("\n");
    for (int i = 0; i < parts.size(); i++) {
      String partPath = partsPath + "[" + i + "]";
      JsonNode part = parts.get(i);
      JsonNode partText = part.isObject() ? get(part, "text", "text") : null;
      if (partText == null || !partText.isTextual()) {
        throw EmbeddingFailures.invalid(partPath, "'" + partPath + "' must be a text part {\"text\":\"...\"}: only text can be embedded here");
      }
      if (partText.textValue().isEmpty()) {
        throw EmbeddingFailures.invalid(partPath + ".text", "'" + partPath + ".text' must not be empty");
      }
      text.add(partText.textValue());
    }
    return new EmbeddingInput.Text(text.toString());
  }

  static Integer outputDimensionality(JsonNode request, String prefix) {
    String path = prefix + "outputDimensionality";
    JsonNode value = get(request, "outputDimensionality", "output_dimensionality");
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw EmbeddingFailures.invalid(path, "'" + path + "' must be a positive integer");
    }
    return value.intValue();
  }

  /** The model without Google's {@code models/} prefix, or null when absent. */
  static String bareModel(String model) {
    if (model == null) {
      return null;
    }
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  /** A field by either spelling; JSON null counts as absent (protocols.md §6.26). */
  static JsonNode get(JsonNode object, String camel, String snake) {
    JsonNode value = object.get(camel);
    if (value == null) {
      value = object.get(snake);
    }
    return value == null || value.isNull() ? null : value;
  }
}

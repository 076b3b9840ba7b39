package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;

/** Canonical → the {@code GenerateContentResponse} a Gemini client reads. */
final class GeminiResponseEncoder {

  private GeminiResponseEncoder() {}

  static byte[] encode(ChatResponse response, String clientModel) {
    ObjectNode root = GeminiJson.MAPPER.createObjectNode();
    ArrayNode candidates = root.putArray("candidates");
    for (ChatResponse.Choice choice : response.choices()) {
      ObjectNode candidate = candidates.addObject();
      ArrayNode parts = parts(choice);
      if (!parts.isEmpty()) {
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        content.set("parts", parts);
      }
      candidate.put("finishReason", GeminiVocabulary.finishReason(choice.finishReason()));
      candidate.put("index", choice.index());
    }
    if (response.usage() != null) {
      root.set("usageMetadata", GeminiUsage.encode(response.usage()));
    }
    root.put("modelVersion", clientModel);
    if (response.id() != null) {
      root.put("responseId", response.id());
    }
    return GeminiJson.bytes(root);
  }

  /**
   * Thinking is always returned as thought parts: a complete answer does not know whether the
   * request asked {@code includeThoughts}, and Gemini SDKs skip thought parts when reading text.
   * Signatures from other vendors mean nothing to a Gemini client and are left out.
   */
  private static ArrayNode parts(ChatResponse.Choice choice) {
    ArrayNode parts = GeminiJson.MAPPER.createArrayNode();
    String pendingSignature = null;
    for (ContentPart part : choice.parts()) {
      ObjectNode json;
      switch (part) {
        case ContentPart.Thinking thinking -> {
          String signature = "gemini".equals(thinking.vendor()) ? thinking.signature() : null;
          if (thinking.redacted() || thinking.text() == null || thinking.text().isEmpty()) {
            pendingSignature = signature;
            continue;
          }
          ObjectNode thought = parts.addObject().put("text", thinking.text()).put("thought", true);
          if (signature != null) {
            thought.put("thoughtSignature", signature);
          }
          continue;
        }
        case ContentPart.Text text -> {
          if (text.text() == null || text.text().isEmpty()) {
            continue;
          }
          json = parts.addObject().put("text", text.text());
        }
        case ContentPart.ToolCall call -> {
          json = parts.addObject();
          ObjectNode functionCall = json.putObject("functionCall");
          if (call.id() != null) {
            functionCall.put("id", call.id());
          }
          functionCall.put("name", call.name());
          functionCall.set("args", GeminiJson.argsObject(call.argumentsJson()));
          if (call.thoughtSignature() != null) {
            json.put("thoughtSignature", call.thoughtSignature());
          }
        }
        case ContentPart.Image image when image.isInline() -> {
          json = parts.addObject();
          json.putObject("inlineData").put("mimeType", image.mimeType()).put("data", image.data());
        }
        case ContentPart.Image image -> {
          json = parts.addObject();
          json.putObject("fileData").put("fileUri", image.url());
        }
        case ContentPart.Audio audio -> {
          json = parts.addObject();
          json.putObject("inlineData").put("mimeType", GeminiVocabulary.audioMime(audio.format())).put("data", audio.data());
        }
        case ContentPart.File file -> {
          json = parts.addObject();
          json.putObject("inlineData").put("mimeType", file.mimeType()).put("data", file.data());
        }
        case ContentPart.ToolResult result -> {
          continue; // results are the client's to send, never part of an answer
        }
      }
      if (pendingSignature != null) {
        if (!json.has("thoughtSignature")) { // a call's own signature wins
          json.put("thoughtSignature", pendingSignature);
        }
        pendingSignature = null;
      }
    }
    return parts;
  }
}

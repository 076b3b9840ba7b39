package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import java.util.ArrayList;
import java.util.List;

/** An upstream's {@code GenerateContentResponse} → canonical. */
final class GeminiResponseDecoder {

  private GeminiResponseDecoder() {}

  static ChatResponse decode(byte[] body, long created) {
    JsonNode root = GeminiJson.readOrNull(body);
    if (root == null || !root.isObject()) {
      throw new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream answer is not a JSON object"));
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      // Some upstreams answer 200 with an error inside (protocols.md §6.23).
      throw new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR,
          "the upstream failed: " + error.path("message").asText("no message")));
    }
    String id = text(root, "responseId");
    List<ChatResponse.Choice> choices = new ArrayList<>();
    JsonNode candidates = GeminiFields.get(root, "candidates");
    int callCount = 0;
    if (candidates != null && candidates.isArray()) {
      for (int i = 0; i < candidates.size(); i++) {
        JsonNode candidate = candidates.get(i);
        List<ContentPart> parts = new ArrayList<>();
        boolean hadCall = false;
        JsonNode content = GeminiFields.get(candidate, "content");
        JsonNode partsNode = content == null ? null : GeminiFields.get(content, "parts");
        if (partsNode != null && partsNode.isArray()) {
          for (JsonNode part : partsNode) {
            ContentPart.ToolCall call = part(part, id, callCount, parts);
            if (call != null) {
              callCount++;
              hadCall = true;
            }
          }
        }
        JsonNode index = GeminiFields.get(candidate, "index");
        FinishReason reason = GeminiVocabulary.finishReason(text(candidate, "finishReason"), hadCall);
        choices.add(new ChatResponse.Choice(index != null && index.canConvertToInt() ? index.intValue() : i, parts, reason));
      }
    }
    if (choices.isEmpty()) {
      // A blocked prompt comes back as 200 with no candidates; the client gets an empty,
      // filtered answer, not a server error (§6.23).
      JsonNode feedback = GeminiFields.get(root, "promptFeedback");
      boolean blocked = feedback != null && GeminiFields.get(feedback, "blockReason") != null;
      choices.add(new ChatResponse.Choice(0, List.of(), blocked ? FinishReason.CONTENT_FILTER : FinishReason.OTHER));
    }
    return new ChatResponse(id, text(root, "modelVersion"), created, choices,
        GeminiUsage.decode(GeminiFields.get(root, "usageMetadata")));
  }

  /**
   * Adds one Gemini part to {@code out}; returns the call when it was a function call. Gemini
   * rarely gives call ids, so they are synthesised from the response id and the call's position.
   * A call keeps its own thought signature; a signature on a text or media part travels as an
   * empty Thinking part right before it.
   */
  static ContentPart.ToolCall part(JsonNode part, String responseId, int callIndex, List<ContentPart> out) {
    String signature = text(part, "thoughtSignature");
    boolean thought = part.path("thought").asBoolean(false);
    JsonNode textNode = GeminiFields.get(part, "text");
    if (textNode != null && textNode.isTextual()) {
      if (thought) {
        out.add(new ContentPart.Thinking(textNode.textValue(), signature, "gemini", false));
        return null;
      }
      signatureBefore(signature, out);
      if (!textNode.textValue().isEmpty()) {
        out.add(new ContentPart.Text(textNode.textValue()));
      }
      return null;
    }
    JsonNode call = GeminiFields.get(part, "functionCall");
    if (call != null && call.isObject()) {
      String id = text(call, "id");
      JsonNode args = GeminiFields.get(call, "args");
      ContentPart.ToolCall toolCall = new ContentPart.ToolCall(
          id == null || id.isEmpty() ? callId(responseId, callIndex) : id,
          text(call, "name"),
          args == null ? "{}" : GeminiJson.text(args),
          signature == null || signature.isEmpty() ? null : signature);
      out.add(toolCall);
      return toolCall;
    }
    JsonNode inline = GeminiFields.get(part, "inlineData");
    if (inline != null && inline.isObject() && text(inline, "data") != null) {
      String mime = GeminiVocabulary.normaliseMime(text(inline, "mimeType"));
      signatureBefore(signature, out);
      if (mime != null && mime.startsWith("audio/")) {
        out.add(new ContentPart.Audio(GeminiVocabulary.audioFormat(mime), text(inline, "data")));
      } else if (mime != null && mime.startsWith("image/")) {
        out.add(ContentPart.Image.inline(mime, text(inline, "data")));
      } else {
        out.add(new ContentPart.File(mime, text(inline, "data"), null));
      }
    }
    // executableCode, codeExecutionResult and parts yet unknown carry nothing the hub can hold.
    return null;
  }

  /** Deterministic per response (protocols.md §5.6), so a retry of the same answer names calls alike. */
  static String callId(String responseId, int callIndex) {
    return responseId == null || responseId.isEmpty() ? "call_" + callIndex : "call_" + responseId + "_" + callIndex;
  }

  private static void signatureBefore(String signature, List<ContentPart> out) {
    if (signature != null && !signature.isEmpty()) {
      out.add(new ContentPart.Thinking("", signature, "gemini", false));
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = GeminiFields.get(node, name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}

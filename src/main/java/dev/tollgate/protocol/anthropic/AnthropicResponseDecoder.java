package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An Anthropic upstream's complete Messages answer → canonical (protocols.md §3.3). */
final class AnthropicResponseDecoder {

  private AnthropicResponseDecoder() {}

  /** @param jsonOutput the structured-output emulation the request used, or null */
  static ChatResponse decode(byte[] body, JsonOutputTool jsonOutput) {
    JsonNode root;
    try {
      root = AnthropicJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream answer is not valid JSON"));
    }
    if (root == null || !root.isObject()) {
      throw new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream answer is not a JSON object"));
    }
    if ("error".equals(AnthropicJson.text(root, "type"))) {
      throw new GatewayError.Failure(AnthropicErrors.fromUpstream(root));
    }
    List<ContentPart> parts = new ArrayList<>();
    boolean answered = false;
    JsonNode content = root.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode block : content) {
        ContentPart part;
        if (jsonOutput != null && "tool_use".equals(AnthropicJson.text(block, "type"))
            && jsonOutput.isCall(AnthropicJson.text(block, "name"))) {
          part = new ContentPart.Text(jsonOutput.answer(block.get("input")));
          answered = true;
        } else {
          part = part(block);
        }
        if (part != null) {
          parts.add(part);
        }
      }
    }
    FinishReason finish = JsonOutputTool.finish(
        AnthropicStopReason.toCanonical(AnthropicJson.text(root, "stop_reason")),
        answered, parts.stream().anyMatch(ContentPart.ToolCall.class::isInstance));
    ChatResponse.Choice choice = new ChatResponse.Choice(0, parts, finish);
    // Anthropic answers carry no creation time; the answer was made just now.
    return new ChatResponse(
        AnthropicJson.text(root, "id"),
        AnthropicJson.text(root, "model"),
        Instant.now().getEpochSecond(),
        List.of(choice),
        AnthropicUsage.toCanonical(root.get("usage")));
  }

  /** A content block, or null for kinds other protocols cannot express (server tool blocks). */
  private static ContentPart part(JsonNode block) {
    String type = AnthropicJson.text(block, "type");
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "text" -> new ContentPart.Text(nullToEmpty(AnthropicJson.text(block, "text")));
      case "tool_use" -> {
        JsonNode input = block.get("input");
        yield new ContentPart.ToolCall(
            AnthropicJson.text(block, "id"),
            AnthropicJson.text(block, "name"),
            input == null || !input.isObject() ? "{}" : input.toString());
      }
      case "thinking" -> new ContentPart.Thinking(
          nullToEmpty(AnthropicJson.text(block, "thinking")),
          AnthropicJson.text(block, "signature"),
          ThinkingSignature.ANTHROPIC,
          false);
      case "redacted_thinking" -> new ContentPart.Thinking(
          "", AnthropicJson.text(block, "data"), ThinkingSignature.ANTHROPIC, true);
      default -> null;
    };
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}

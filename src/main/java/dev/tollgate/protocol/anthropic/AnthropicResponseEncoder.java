package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import java.util.List;
import java.util.UUID;

/** Canonical → the Messages answer an Anthropic client reads (protocols.md §3.3). */
final class AnthropicResponseEncoder {

  private AnthropicResponseEncoder() {}

  static byte[] encode(ChatResponse response, String clientModel) {
    // Anthropic has no n: only the first choice can be expressed.
    ChatResponse.Choice choice = response.choices().isEmpty() ? null : response.choices().getFirst();
    List<ContentPart> parts = choice == null ? List.of() : choice.parts();
    FinishReason reason = choice == null ? FinishReason.STOP : choice.finishReason();

    ObjectNode body = AnthropicJson.object();
    body.put("id", messageId(response.id()));
    body.put("type", "message");
    body.put("role", "assistant");
    body.put("model", clientModel);
    ArrayNode content = body.putArray("content");
    boolean hasToolCalls = false;
    // Thinking and text keep their order; tool_use blocks follow them (§6.3).
    for (ContentPart part : parts) {
      ObjectNode block = switch (part) {
        case ContentPart.Text t -> t.text() == null || t.text().isEmpty() ? null : text(t.text());
        case ContentPart.Thinking t -> thinking(t);
        default -> null;
      };
      if (block != null) {
        content.add(block);
      }
    }
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.ToolCall call) {
        hasToolCalls = true;
        ObjectNode block = content.addObject();
        block.put("type", "tool_use");
        block.put("id", call.id());
        block.put("name", call.name());
        ObjectNode input = AnthropicJson.objectOrNull(call.argumentsJson());
        block.set("input", input == null ? AnthropicJson.object() : input);
      }
    }
    body.put("stop_reason", AnthropicStopReason.toWire(reason, hasToolCalls));
    body.putNull("stop_sequence");
    AnthropicUsage.write(response.usage(), body.putObject("usage"));
    return AnthropicJson.bytes(body);
  }

  static String messageId(String id) {
    if (id == null || id.isEmpty()) {
      return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    return id.startsWith("msg_") ? id : "msg_" + id;
  }

  static ObjectNode text(String text) {
    return AnthropicJson.object().put("type", "text").put("text", text);
  }

  /** Redacted thinking is Anthropic's ciphertext: meaningless from, and for, anyone else. */
  static ObjectNode thinking(ContentPart.Thinking thinking) {
    if (thinking.redacted()) {
      return ThinkingSignature.ANTHROPIC.equals(thinking.vendor())
          ? AnthropicJson.object().put("type", "redacted_thinking").put("data", thinking.signature())
          : null;
    }
    return AnthropicJson.object()
        .put("type", "thinking")
        .put("thinking", thinking.text() == null ? "" : thinking.text())
        .put("signature", ThinkingSignature.forClient(thinking.vendor(), thinking.signature()));
  }
}

package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete OpenAI(-compatible) upstream answer → canonical. Lenient about what vendors add or
 * omit; only a body that is not a JSON object, or that holds an {@code error}, fails (with
 * UPSTREAM_ERROR: the upstream misbehaved, not the client).
 *
 * <p>Parts of a choice, in order: reasoning ({@code reasoning_content}, or {@code reasoning}, a
 * non-standard vendor field) as Thinking of vendor {@value #VENDOR}, content, refusal, tool calls.
 */
final class OpenAiResponseDecoder {

  /** The vendor of thinking read from OpenAI-compatible answers: it carries no signature. */
  static final String VENDOR = "openai-compatible";

  private OpenAiResponseDecoder() {}

  static ChatResponse decode(byte[] body) {
    JsonNode root;
    try {
      root = OpenAiTree.parse(body);
    } catch (IOException e) {
      throw upstream("the upstream answer is not valid JSON");
    }
    if (!root.isObject()) {
      throw upstream("the upstream answer is not a JSON object");
    }
    JsonNode error = OpenAiTree.field(root, "error");
    if (error != null) {
      throw new GatewayError.Failure(OpenAiStreamDecoder.upstreamError(error));
    }
    List<ChatResponse.Choice> choices = new ArrayList<>();
    JsonNode choicesJson = OpenAiTree.field(root, "choices");
    if (choicesJson != null && choicesJson.isArray()) {
      for (int i = 0; i < choicesJson.size(); i++) {
        choices.add(choice(choicesJson.get(i), i));
      }
    }
    JsonNode created = root.get("created");
    return new ChatResponse(
        OpenAiTree.text(root, "id"),
        OpenAiTree.text(root, "model"),
        created != null && created.isNumber() ? created.longValue() : 0,
        choices,
        OpenAiTokenUsage.decode(root.get("usage")));
  }

  private static ChatResponse.Choice choice(JsonNode choice, int position) {
    JsonNode indexNode = choice.get("index");
    int index = indexNode != null && indexNode.canConvertToInt() ? indexNode.intValue() : position;
    List<ContentPart> parts = new ArrayList<>();
    JsonNode message = choice.get("message");
    if (message != null && message.isObject()) {
      String reasoning = OpenAiTree.text(message, "reasoning_content");
      if (reasoning == null) {
        reasoning = OpenAiTree.text(message, "reasoning");
      }
      if (reasoning != null && !reasoning.isEmpty()) {
        parts.add(new ContentPart.Thinking(reasoning, null, VENDOR, false));
      }
      String content = content(message.get("content"));
      if (!content.isEmpty()) {
        parts.add(new ContentPart.Text(content));
      }
      String refusal = OpenAiTree.text(message, "refusal");
      if (refusal != null && !refusal.isEmpty()) {
        parts.add(new ContentPart.Text(refusal));
      }
      JsonNode calls = message.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          parts.add(toolCall(call));
        }
      }
      JsonNode legacy = message.get("function_call");
      if (legacy != null && legacy.isObject()) {
        parts.add(new ContentPart.ToolCall(OpenAiIds.callId(), nonNull(OpenAiTree.text(legacy, "name")),
            nonNull(OpenAiTree.text(legacy, "arguments"))));
      }
    }
    boolean sawToolCall = parts.stream().anyMatch(ContentPart.ToolCall.class::isInstance);
    return new ChatResponse.Choice(index, parts,
        OpenAiFinishReasons.decode(OpenAiTree.text(choice, "finish_reason"), sawToolCall));
  }

  /** Content as a string, or (some vendors) an array of text parts. */
  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    StringBuilder text = new StringBuilder();
    if (content.isArray()) {
      for (JsonNode part : content) {
        String piece = OpenAiTree.text(part, "text");
        if (piece != null) {
          text.append(piece);
        }
      }
    }
    return text.toString();
  }

  private static ContentPart.ToolCall toolCall(JsonNode call) {
    JsonNode function = call.get("function");
    String id = OpenAiTree.text(call, "id");
    return new ContentPart.ToolCall(
        id == null || id.isEmpty() ? OpenAiIds.callId() : id,
        nonNull(OpenAiTree.text(function, "name")),
        nonNull(OpenAiTree.text(function, "arguments")));
  }

  private static String nonNull(String text) {
    return text == null ? "" : text;
  }

  private static GatewayError.Failure upstream(String message) {
    return new GatewayError.Failure(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message));
  }
}

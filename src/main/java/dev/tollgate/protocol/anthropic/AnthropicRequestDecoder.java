package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.DroppedFields;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's Messages request body → canonical (protocols.md §3.1, §3.2). Everything malformed
 * becomes an INVALID_REQUEST naming the field, in Anthropic's {@code "field: problem"} wording.
 * Fields without a canonical home (cache_control, service_tier, …) are dropped: this path runs
 * only when the request is converted to another protocol. Top-level fields it does not know are
 * reported as dropped.
 */
final class AnthropicRequestDecoder {

  /** Top-level fields read, or (service_tier, §5.16 "drop") left out without a word. */
  private static final Set<String> KEPT = Set.of(
      "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature",
      "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier");

  private AnthropicRequestDecoder() {}

  static ChatRequest decode(byte[] body) {
    JsonNode root = parse(body);
    String model = requiredString(root, "model");
    Integer maxTokens = intField(root, "max_tokens", "max_tokens");
    if (maxTokens == null) {
      throw invalid("max_tokens", "Field required");
    }
    if (maxTokens < 1) {
      throw invalid("max_tokens", "must be greater than or equal to 1");
    }
    JsonNode messagesNode = root.get("messages");
    if (absent(messagesNode)) {
      throw invalid("messages", "Field required");
    }
    if (!messagesNode.isArray()) {
      throw invalid("messages", "Input should be a valid list");
    }
    List<Message> messages = messages(messagesNode);
    Boolean disableParallel = null;
    ToolChoice toolChoice = null;
    JsonNode choiceNode = root.get("tool_choice");
    if (!absent(choiceNode)) {
      toolChoice = toolChoice(choiceNode);
      JsonNode disable = choiceNode.get("disable_parallel_tool_use");
      if (!absent(disable)) {
        if (!disable.isBoolean()) {
          throw invalid("tool_choice.disable_parallel_tool_use", "Input should be a valid boolean");
        }
        disableParallel = disable.asBoolean();
      }
    }
    return new ChatRequest(
        model,
        system(root.get("system")),
        messages,
        tools(root.get("tools")),
        toolChoice,
        Boolean.TRUE.equals(disableParallel) ? Boolean.FALSE : null,
        maxTokens,
        number(root, "temperature"),
        number(root, "top_p"),
        intField(root, "top_k", "top_k"),
        stopSequences(root.get("stop_sequences")),
        null,
        null,
        null,
        null,
        null,
        reasoning(root.get("thinking")),
        user(root.get("metadata")),
        bool(root, "stream"),
        DroppedFields.notIn(root, KEPT));
  }

  private static JsonNode parse(byte[] body) {
    int offset = JsonScan.bomLength(body);
    JsonNode root;
    try {
      root = AnthropicJson.MAPPER.readTree(body, offset, body.length - offset);
    } catch (JacksonException e) {
      throw new GatewayError.Failure(GatewayError.invalid(null, "The request body is not valid JSON"));
    } catch (IOException e) {
      throw new GatewayError.Failure(GatewayError.invalid(null, "The request body could not be read"));
    }
    if (root == null || !root.isObject()) {
      throw new GatewayError.Failure(GatewayError.invalid(null, "The request body must be a JSON object"));
    }
    return root;
  }

  // --- system and messages -------------------------------------------------------------------

  private static List<ContentPart.Text> system(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (node.isTextual()) {
      return node.asText().isEmpty() ? List.of() : List.of(new ContentPart.Text(node.asText()));
    }
    if (!node.isArray()) {
      throw invalid("system", "Input should be a valid string or list of text blocks");
    }
    List<ContentPart.Text> parts = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode block = node.get(i);
      String path = "system." + i;
      if (!block.isObject() || !"text".equals(AnthropicJson.text(block, "type"))) {
        throw invalid(path, "system blocks must be text blocks");
      }
      parts.add(new ContentPart.Text(requiredString(block, "text", path + ".text")));
    }
    return parts;
  }

  private static List<Message> messages(JsonNode array) {
    List<Message> messages = new ArrayList<>();
    Map<String, String> toolNames = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "messages." + i;
      JsonNode message = array.get(i);
      if (!message.isObject()) {
        throw invalid(path, "Input should be a valid dictionary");
      }
      String role = requiredString(message, "role", path + ".role");
      JsonNode content = message.get("content");
      if (absent(content)) {
        throw invalid(path + ".content", "Field required");
      }
      switch (role) {
        case "user" -> userTurn(content, path + ".content", toolNames, messages);
        case "assistant" -> messages.add(new Message(Role.ASSISTANT, assistantParts(content, path + ".content", toolNames)));
        default -> throw invalid(path + ".role", "Input should be 'user' or 'assistant'");
      }
    }
    return messages;
  }

  /**
   * A user turn's tool_result blocks become TOOL messages and its other blocks USER messages,
   * in order: the usual turn (results, then text) becomes a TOOL message followed by a USER one.
   */
  private static void userTurn(JsonNode content, String path, Map<String, String> toolNames, List<Message> out) {
    if (content.isTextual()) {
      out.add(Message.text(Role.USER, content.asText()));
      return;
    }
    if (!content.isArray()) {
      throw invalid(path, "Input should be a valid string or list of content blocks");
    }
    List<ContentPart> run = new ArrayList<>();
    Role runRole = null;
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + "." + j;
      String type = blockType(block, blockPath);
      Role role = "tool_result".equals(type) ? Role.TOOL : Role.USER;
      if (runRole != null && role != runRole) {
        out.add(new Message(runRole, run));
        run = new ArrayList<>();
      }
      runRole = role;
      run.add(role == Role.TOOL ? toolResult(block, blockPath, toolNames) : userPart(type, block, blockPath));
    }
    if (runRole == null) {
      out.add(new Message(Role.USER, List.of()));
    } else {
      out.add(new Message(runRole, run));
    }
  }

  private static ContentPart userPart(String type, JsonNode block, String path) {
    return switch (type) {
      case "text" -> new ContentPart.Text(requiredString(block, "text", path + ".text"));
      case "image" -> image(block, path);
      case "document" -> document(block, path);
      default -> throw invalid(path, "content block type '" + type + "' cannot be converted for this model's upstream");
    };
  }

  private static List<ContentPart> assistantParts(JsonNode content, String path, Map<String, String> toolNames) {
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.asText()));
    }
    if (!content.isArray()) {
      throw invalid(path, "Input should be a valid string or list of content blocks");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + "." + j;
      switch (blockType(block, blockPath)) {
        case "text" -> parts.add(new ContentPart.Text(requiredString(block, "text", blockPath + ".text")));
        case "tool_use" -> {
          String id = requiredString(block, "id", blockPath + ".id");
          String name = requiredString(block, "name", blockPath + ".name");
          JsonNode input = block.get("input");
          if (!absent(input) && !input.isObject()) {
            throw invalid(blockPath + ".input", "Input should be a valid dictionary");
          }
          toolNames.put(id, name);
          parts.add(new ContentPart.ToolCall(id, name, absent(input) ? "{}" : input.toString()));
        }
        case "thinking" -> {
          ThinkingSignature signature = ThinkingSignature.fromClient(AnthropicJson.text(block, "signature"));
          String text = AnthropicJson.text(block, "thinking");
          parts.add(new ContentPart.Thinking(text == null ? "" : text, signature.value(), signature.vendor(), false));
        }
        // The encrypted thinking travels as the signature: it is an opaque vendor token, and
        // putting it in the text would show ciphertext as reasoning to other protocols' clients.
        case "redacted_thinking" -> parts.add(new ContentPart.Thinking(
            "", requiredString(block, "data", blockPath + ".data"), ThinkingSignature.ANTHROPIC, true));
        default -> throw invalid(blockPath, "content block type '" + block.get("type").asText()
            + "' cannot be converted for this model's upstream");
      }
    }
    return parts;
  }

  private static ContentPart.ToolResult toolResult(JsonNode block, String path, Map<String, String> toolNames) {
    String callId = requiredString(block, "tool_use_id", path + ".tool_use_id");
    JsonNode content = block.get("content");
    List<ContentPart> parts = new ArrayList<>();
    if (absent(content)) {
      // no content: a run with nothing to report
    } else if (content.isTextual()) {
      parts.add(new ContentPart.Text(content.asText()));
    } else if (content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        String innerPath = path + ".content." + k;
        switch (blockType(inner, innerPath)) {
          case "text" -> parts.add(new ContentPart.Text(requiredString(inner, "text", innerPath + ".text")));
          case "image" -> parts.add(image(inner, innerPath));
          case "document" -> parts.add(document(inner, innerPath));
          default -> throw invalid(innerPath, "tool_result content must be text, image or document blocks");
        }
      }
    } else {
      throw invalid(path + ".content", "Input should be a valid string or list of content blocks");
    }
    JsonNode isError = block.get("is_error");
    if (!absent(isError) && !isError.isBoolean()) {
      throw invalid(path + ".is_error", "Input should be a valid boolean");
    }
    return new ContentPart.ToolResult(callId, toolNames.get(callId), parts, !absent(isError) && isError.asBoolean());
  }

  private static ContentPart image(JsonNode block, String path) {
    JsonNode source = block.get("source");
    if (absent(source) || !source.isObject()) {
      throw invalid(path + ".source", "Field required");
    }
    String type = requiredString(source, "type", path + ".source.type");
    return switch (type) {
      case "base64" -> ContentPart.Image.inline(
          requiredString(source, "media_type", path + ".source.media_type"),
          requiredString(source, "data", path + ".source.data"));
      case "url" -> ContentPart.Image.remote(requiredString(source, "url", path + ".source.url"));
      default -> throw invalid(path + ".source.type", "image source '" + type + "' cannot be converted (use base64 or url)");
    };
  }

  private static ContentPart document(JsonNode block, String path) {
    JsonNode source = block.get("source");
    if (absent(source) || !source.isObject()) {
      throw invalid(path + ".source", "Field required");
    }
    String type = requiredString(source, "type", path + ".source.type");
    return switch (type) {
      case "base64" -> new ContentPart.File(
          requiredString(source, "media_type", path + ".source.media_type"),
          requiredString(source, "data", path + ".source.data"),
          AnthropicJson.text(block, "title"));
      case "text" -> new ContentPart.Text(requiredString(source, "data", path + ".source.data"));
      default -> throw invalid(path + ".source.type", "document source '" + type + "' cannot be converted (use base64 or text)");
    };
  }

  private static String blockType(JsonNode block, String path) {
    if (!block.isObject()) {
      throw invalid(path, "Input should be a valid dictionary");
    }
    return requiredString(block, "type", path + ".type");
  }

  // --- tools ---------------------------------------------------------------------------------

  private static List<Tool> tools(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid("tools", "Input should be a valid list");
    }
    List<Tool> tools = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode tool = node.get(i);
      String path = "tools." + i;
      if (!tool.isObject()) {
        throw invalid(path, "Input should be a valid dictionary");
      }
      String type = AnthropicJson.text(tool, "type");
      if (type != null && !"custom".equals(type)) {
        throw invalid(path + ".type", "server tool '" + type + "' has no equivalent on this model's upstream");
      }
      String name = requiredString(tool, "name", path + ".name");
      JsonNode schema = tool.get("input_schema");
      if (!absent(schema) && !schema.isObject()) {
        throw invalid(path + ".input_schema", "Input should be a valid dictionary");
      }
      JsonNode strict = tool.get("strict");
      tools.add(new Tool(
          name,
          optionalString(tool, "description", path + ".description"),
          absent(schema) ? null : schema,
          strict != null && strict.isBoolean() ? strict.asBoolean() : null));
    }
    return tools;
  }

  private static ToolChoice toolChoice(JsonNode node) {
    if (!node.isObject()) {
      throw invalid("tool_choice", "Input should be a valid dictionary");
    }
    String type = requiredString(node, "type", "tool_choice.type");
    return switch (type) {
      case "auto" -> new ToolChoice.Auto();
      case "any" -> new ToolChoice.Required(List.of());
      case "none" -> new ToolChoice.None();
      case "tool" -> new ToolChoice.Specific(requiredString(node, "name", "tool_choice.name"));
      default -> throw invalid("tool_choice.type", "Input should be 'auto', 'any', 'tool' or 'none'");
    };
  }

  // --- sampling and the rest -----------------------------------------------------------------

  private static List<String> stopSequences(JsonNode node) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw invalid("stop_sequences", "Input should be a valid list");
    }
    List<String> stop = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw invalid("stop_sequences." + i, "Input should be a valid string");
      }
      stop.add(node.get(i).asText());
    }
    return stop;
  }

  private static Reasoning reasoning(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw invalid("thinking", "Input should be a valid dictionary");
    }
    String type = requiredString(node, "type", "thinking.type");
    return switch (type) {
      case "enabled" -> {
        Integer budget = intField(node, "budget_tokens", "thinking.budget_tokens");
        if (budget == null) {
          throw invalid("thinking.budget_tokens", "Field required");
        }
        yield new Reasoning(null, budget, true);
      }
      case "disabled" -> new Reasoning(null, 0, false);
      // The model picks its own budget: the closest canonical meaning is a middle effort.
      case "adaptive" -> new Reasoning("medium", null, true);
      default -> throw invalid("thinking.type", "Input should be 'enabled', 'disabled' or 'adaptive'");
    };
  }

  private static String user(JsonNode metadata) {
    if (absent(metadata)) {
      return null;
    }
    if (!metadata.isObject()) {
      throw invalid("metadata", "Input should be a valid dictionary");
    }
    return optionalString(metadata, "user_id", "metadata.user_id");
  }

  // --- typed field access --------------------------------------------------------------------

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static String requiredString(JsonNode node, String field) {
    return requiredString(node, field, field);
  }

  private static String requiredString(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (absent(value)) {
      throw invalid(path, "Field required");
    }
    if (!value.isTextual()) {
      throw invalid(path, "Input should be a valid string");
    }
    return value.asText();
  }

  private static String optionalString(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (absent(value)) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(path, "Input should be a valid string");
    }
    return value.asText();
  }

  private static Integer intField(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (absent(value)) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw invalid(path, "Input should be a valid integer");
    }
    return value.asInt();
  }

  private static Double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (absent(value)) {
      return null;
    }
    if (!value.isNumber()) {
      throw invalid(field, "Input should be a valid number");
    }
    return value.asDouble();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (absent(value)) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(field, "Input should be a valid boolean");
    }
    return value.asBoolean();
  }

  static GatewayError.Failure invalid(String param, String problem) {
    return new GatewayError.Failure(GatewayError.invalid(param, param + ": " + problem));
  }
}

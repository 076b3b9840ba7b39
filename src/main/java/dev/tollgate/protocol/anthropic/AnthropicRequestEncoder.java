package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Setting;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Canonical → the Messages request body an Anthropic upstream takes (protocols.md §3, §5).
 * Error params name canonical positions ({@code messages.2.content.0}), which match the client's
 * own for every protocol that does not split turns.
 */
final class AnthropicRequestEncoder {

  static final int DEFAULT_MAX_TOKENS = 4096;
  static final String JSON_OBJECT_INSTRUCTION = "Respond with a single JSON object only.";
  /** Sent as the first user turn when a history starts with the assistant (§5.2). */
  static final String FIRST_TURN_FILLER = ".";

  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().-]{7,}$");

  private AnthropicRequestEncoder() {}

  private record Turn(String role, List<ObjectNode> blocks) {}

  static byte[] encode(ChatRequest request, String upstreamModel) {
    if (request.n() != null && request.n() > 1) {
      throw invalid("n", "Anthropic models return one choice; n > 1 is not supported");
    }
    Integer budget = thinkingBudget(request.reasoning());
    JsonOutputTool jsonOutput = JsonOutputTool.of(request);
    if (jsonOutput != null && budget != null) {
      // The emulation forces a tool, which Anthropic refuses while thinking (§5.5, §5.10).
      throw invalid("response_format", "a JSON schema answer is not possible while thinking is on");
    }
    ObjectNode body = AnthropicJson.object();
    body.put("model", upstreamModel);
    int maxTokens = request.maxOutputTokens() != null ? request.maxOutputTokens() : DEFAULT_MAX_TOKENS;
    if (budget != null && maxTokens <= budget) {
      maxTokens = budget + 1024;
    }
    body.put("max_tokens", maxTokens);

    ArrayNode system = system(request);
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    body.set("messages", messages(request.messages()));

    List<Tool> tools = tools(request);
    if (jsonOutput != null) {
      if (tools.stream().anyMatch(tool -> jsonOutput.isCall(tool.name()))) {
        throw invalid("tools", "the tool name '" + JsonOutputTool.NAME + "' is reserved for JSON schema answers");
      }
      // The client's tools stay declared (history may refer to them); the answer is the forced call.
      ArrayNode toolArray = body.putArray("tools");
      tools.forEach(tool -> toolArray.add(tool(tool)));
      toolArray.add(jsonOutput.definition());
      body.set("tool_choice", jsonOutput.forcedChoice());
    } else if (!tools.isEmpty()) {
      ArrayNode toolArray = body.putArray("tools");
      tools.forEach(tool -> toolArray.add(tool(tool)));
      ObjectNode choice = toolChoice(request.toolChoice(), request.parallelToolCalls());
      if (choice != null) {
        if (budget != null && !"auto".equals(choice.get("type").asText()) && !"none".equals(choice.get("type").asText())) {
          throw invalid("tool_choice", "forcing a tool is not possible while thinking is on");
        }
        body.set("tool_choice", choice);
      }
    }

    List<String> stop = request.stop().stream().filter(s -> s != null && !s.isBlank()).toList();
    if (!stop.isEmpty()) {
      ArrayNode stopArray = body.putArray("stop_sequences");
      stop.forEach(stopArray::add);
    }
    // With thinking on Anthropic takes neither temperature nor top_k (§3.1).
    if (request.temperature() != null && budget == null) {
      body.put("temperature", Math.min(1.0, request.temperature()));
    }
    if (request.topP() != null) {
      body.put("top_p", request.topP());
    }
    if (request.topK() != null && budget == null) {
      body.put("top_k", request.topK());
    }
    if (request.user() != null && !request.user().isEmpty()) {
      body.putObject("metadata").put("user_id", userId(request.user()));
    }
    if (budget != null) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
    }
    if (request.stream()) {
      body.put("stream", true);
    }
    return AnthropicJson.bytes(body);
  }

  /** The settings Anthropic has no field for (§5.8), which {@link #encode} leaves out. */
  static Set<Setting> dropped(ChatRequest request) {
    Set<Setting> dropped = EnumSet.noneOf(Setting.class);
    if (request.presencePenalty() != null) {
      dropped.add(Setting.PRESENCE_PENALTY);
    }
    if (request.frequencyPenalty() != null) {
      dropped.add(Setting.FREQUENCY_PENALTY);
    }
    if (request.seed() != null) {
      dropped.add(Setting.SEED);
    }
    return dropped;
  }

  // --- system --------------------------------------------------------------------------------

  private static ArrayNode system(ChatRequest request) {
    ArrayNode system = AnthropicJson.NODES.arrayNode();
    for (ContentPart.Text part : request.system()) {
      if (part.text() != null && !part.text().isBlank()) {
        system.add(textBlock(part.text()));
      }
    }
    switch (request.responseFormat()) {
      case null -> {}
      case ResponseFormat.Text t -> {}
      // An instruction, not the forced tool: it keeps working with thinking on (§5.10).
      case ResponseFormat.JsonObject j -> system.add(textBlock(JSON_OBJECT_INSTRUCTION));
      case ResponseFormat.JsonSchema s -> {} // a forced tool: see JsonOutputTool
    }
    return system;
  }

  // --- messages ------------------------------------------------------------------------------

  private static ArrayNode messages(List<Message> messages) {
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      List<ObjectNode> blocks = new ArrayList<>();
      List<ContentPart> parts = message.parts();
      for (int j = 0; j < parts.size(); j++) {
        ObjectNode block = block(parts.get(j), message.role(), "messages." + i + ".content." + j);
        if (block != null) {
          blocks.add(block);
        }
      }
      if (blocks.isEmpty()) {
        continue; // an empty turn is dropped; its neighbours then merge (§6.1)
      }
      Turn last = turns.isEmpty() ? null : turns.getLast();
      if (last != null && last.role().equals(role)) {
        last.blocks().addAll(blocks);
      } else {
        turns.add(new Turn(role, blocks));
      }
    }
    if (turns.isEmpty()) {
      throw invalid("messages", "at least one message with content is required");
    }
    if (turns.getFirst().role().equals("assistant")) {
      turns.addFirst(new Turn("user", new ArrayList<>(List.of(textBlock(FIRST_TURN_FILLER)))));
    }
    checkToolResults(turns);
    ArrayNode out = AnthropicJson.NODES.arrayNode();
    for (Turn turn : turns) {
      ObjectNode node = out.addObject();
      node.put("role", turn.role());
      ArrayNode content = node.putArray("content");
      // Tool results must open their turn (§3.2): a stable partition keeps both groups in order.
      turn.blocks().stream().filter(AnthropicRequestEncoder::isToolResult).forEach(content::add);
      turn.blocks().stream().filter(b -> !isToolResult(b)).forEach(content::add);
    }
    return out;
  }

  /**
   * Anthropic answers a misplaced or missing tool_result with an opaque 400; ours names the id
   * (§5.6, §6.6, §6.7). Every call of an assistant turn followed by another turn must be
   * answered in that next turn, and every result must answer a call of the turn before it.
   */
  private static void checkToolResults(List<Turn> turns) {
    Set<String> seen = new HashSet<>();
    Set<String> previousCalls = Set.of();
    for (int t = 0; t < turns.size(); t++) {
      Turn turn = turns.get(t);
      if (turn.role().equals("assistant")) {
        Set<String> calls = new LinkedHashSet<>();
        for (ObjectNode block : turn.blocks()) {
          if ("tool_use".equals(block.get("type").asText())) {
            calls.add(block.get("id").asText());
          }
        }
        if (!calls.isEmpty() && t + 1 < turns.size()) {
          Set<String> answered = new HashSet<>();
          for (ObjectNode block : turns.get(t + 1).blocks()) {
            if (isToolResult(block)) {
              answered.add(block.get("tool_use_id").asText());
            }
          }
          for (String id : calls) {
            if (!answered.contains(id)) {
              throw invalid("messages", "tool call '" + id + "' has no tool result in the turn that follows it");
            }
          }
        }
        seen.addAll(calls);
        previousCalls = calls;
        continue;
      }
      for (ObjectNode block : turn.blocks()) {
        if (!isToolResult(block)) {
          continue;
        }
        String id = block.get("tool_use_id").asText();
        if (!previousCalls.contains(id)) {
          throw invalid("messages", seen.contains(id)
              ? "tool result '" + id + "' must come right after the assistant turn that called it"
              : "tool result '" + id + "' matches no earlier tool call");
        }
      }
      previousCalls = Set.of();
    }
  }

  private static boolean isToolResult(ObjectNode block) {
    return "tool_result".equals(block.get("type").asText());
  }

  /** One canonical part as a content block, or null when it is dropped. */
  private static ObjectNode block(ContentPart part, Role role, String path) {
    return switch (part) {
      case ContentPart.Text t -> t.text() == null || t.text().isBlank() ? null : textBlock(t.text());
      case ContentPart.Image image -> image(image, path);
      case ContentPart.Audio a -> throw invalid(path, "audio input is not supported by Anthropic models");
      case ContentPart.File file -> document(file, path);
      case ContentPart.ToolCall call -> toolUse(call);
      case ContentPart.ToolResult result -> toolResult(result, path);
      case ContentPart.Thinking thinking -> role == Role.ASSISTANT ? thinking(thinking) : null;
    };
  }

  private static ObjectNode textBlock(String text) {
    ObjectNode block = AnthropicJson.object();
    block.put("type", "text");
    block.put("text", text);
    return block;
  }

  private static ObjectNode image(ContentPart.Image image, String path) {
    String mime = image.mimeType();
    String data = image.data();
    if (!image.isInline()) {
      String url = image.url();
      if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
        ObjectNode block = AnthropicJson.object().put("type", "image");
        block.putObject("source").put("type", "url").put("url", url);
        return block;
      }
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring(5, comma);
      if (comma < 0 || !header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw invalid(path, "image data URLs must be base64 encoded");
      }
      mime = header.substring(0, header.length() - ";base64".length());
      data = url.substring(comma + 1);
    }
    String mediaType = normalisedImageType(mime);
    if (!IMAGE_TYPES.contains(mediaType)) {
      throw invalid(path, "image type '" + mime + "' is not supported by Anthropic models (use jpeg, png, gif or webp)");
    }
    ObjectNode block = AnthropicJson.object().put("type", "image");
    block.putObject("source").put("type", "base64").put("media_type", mediaType).put("data", standardBase64(data));
    return block;
  }

  private static String normalisedImageType(String mime) {
    if (mime == null) {
      return "";
    }
    String type = mime.trim().toLowerCase(Locale.ROOT);
    return type.equals("image/jpg") || type.equals("image/pjpeg") ? "image/jpeg" : type;
  }

  /** Whitespace stripped and base64url re-encoded as standard base64 (§6.11). */
  static String standardBase64(String data) {
    if (data == null) {
      return "";
    }
    boolean clean = true;
    for (int i = 0; i < data.length() && clean; i++) {
      char c = data.charAt(i);
      clean = c != '-' && c != '_' && !Character.isWhitespace(c);
    }
    if (clean) {
      return data;
    }
    StringBuilder out = new StringBuilder(data.length() + 3);
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '-') {
        out.append('+');
      } else if (c == '_') {
        out.append('/');
      } else if (!Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    while (out.length() % 4 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  private static ObjectNode document(ContentPart.File file, String path) {
    String mime = file.mimeType() == null ? "" : file.mimeType().trim().toLowerCase(Locale.ROOT);
    ObjectNode block = AnthropicJson.object().put("type", "document");
    ObjectNode source = block.putObject("source");
    switch (mime) {
      case "application/pdf" -> source.put("type", "base64").put("media_type", mime).put("data", standardBase64(file.data()));
      case "text/plain" -> {
        String text;
        try {
          text = new String(Base64.getDecoder().decode(standardBase64(file.data())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw invalid(path, "the file's data is not valid base64");
        }
        source.put("type", "text").put("media_type", mime).put("data", text);
      }
      default -> throw invalid(path, "file type '" + file.mimeType() + "' is not supported by Anthropic models (use PDF or plain text)");
    }
    if (file.filename() != null && !file.filename().isBlank()) {
      block.put("title", file.filename());
    }
    return block;
  }

  private static ObjectNode toolUse(ContentPart.ToolCall call) {
    ObjectNode block = AnthropicJson.object().put("type", "tool_use");
    block.put("id", AnthropicToolIds.forAnthropic(call.id()));
    block.put("name", call.name());
    // History may hold truncated or empty arguments (§6.8, §6.9): never fail a request for them.
    ObjectNode input = AnthropicJson.objectOrNull(call.argumentsJson());
    block.set("input", input == null ? AnthropicJson.object() : input);
    return block;
  }

  private static ObjectNode toolResult(ContentPart.ToolResult result, String path) {
    ObjectNode block = AnthropicJson.object().put("type", "tool_result");
    block.put("tool_use_id", AnthropicToolIds.forAnthropic(result.callId()));
    List<ContentPart> content = result.content();
    if (content.size() == 1 && content.getFirst() instanceof ContentPart.Text text) {
      block.put("content", text.text());
    } else if (!content.isEmpty()) {
      ArrayNode blocks = block.putArray("content");
      for (int k = 0; k < content.size(); k++) {
        String innerPath = path + ".content." + k;
        ObjectNode inner = switch (content.get(k)) {
          case ContentPart.Text t -> t.text() == null || t.text().isEmpty() ? null : textBlock(t.text());
          case ContentPart.Image image -> image(image, innerPath);
          case ContentPart.File file -> document(file, innerPath);
          default -> throw invalid(innerPath, "a tool result may hold text, images and documents only");
        };
        if (inner != null) {
          blocks.add(inner);
        }
      }
    }
    if (result.isError()) {
      block.put("is_error", true);
    }
    return block;
  }

  /** Thinking goes back only to its own vendor, unmodified and signed (§5.11, §6.33). */
  private static ObjectNode thinking(ContentPart.Thinking thinking) {
    if (!ThinkingSignature.ANTHROPIC.equals(thinking.vendor())
        || thinking.signature() == null || thinking.signature().isEmpty()) {
      return null;
    }
    ObjectNode block = AnthropicJson.object();
    if (thinking.redacted()) {
      return block.put("type", "redacted_thinking").put("data", thinking.signature());
    }
    return block.put("type", "thinking")
        .put("thinking", thinking.text() == null ? "" : thinking.text())
        .put("signature", thinking.signature());
  }

  // --- tools ---------------------------------------------------------------------------------

  /** The tools to send: all of them, or the allowed few when a Required choice narrows the set. */
  private static List<Tool> tools(ChatRequest request) {
    if (request.toolChoice() instanceof ToolChoice.Required required && !required.allowed().isEmpty()) {
      return request.tools().stream().filter(t -> required.allowed().contains(t.name())).toList();
    }
    return request.tools();
  }

  private static ObjectNode tool(Tool tool) {
    ObjectNode node = AnthropicJson.object();
    node.put("name", tool.name());
    if (tool.description() != null && !tool.description().isEmpty()) {
      node.put("description", tool.description());
    }
    JsonNode schema = tool.parameters();
    if (schema == null || !schema.isObject()) {
      ObjectNode empty = AnthropicJson.object().put("type", "object");
      empty.putObject("properties");
      schema = empty;
    }
    node.set("input_schema", schema);
    return node;
  }

  private static ObjectNode toolChoice(ToolChoice choice, Boolean parallelToolCalls) {
    ObjectNode node = AnthropicJson.object();
    switch (choice) {
      case null -> {
        if (!Boolean.FALSE.equals(parallelToolCalls)) {
          return null;
        }
        node.put("type", "auto");
      }
      case ToolChoice.Auto a -> node.put("type", "auto");
      case ToolChoice.None n -> {
        return node.put("type", "none"); // Anthropic rejects disable_parallel_tool_use here
      }
      case ToolChoice.Required r -> node.put("type", "any");
      case ToolChoice.Specific s -> node.put("type", "tool").put("name", s.name());
    }
    if (Boolean.FALSE.equals(parallelToolCalls)) {
      node.put("disable_parallel_tool_use", true);
    }
    return node;
  }

  // --- reasoning and user --------------------------------------------------------------------

  /**
   * The thinking budget (§5.11), or null when thinking is off. Anthropic's minimum is 1024; an
   * effort this table does not know thinks at the medium budget rather than failing the request.
   */
  static Integer thinkingBudget(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    if (reasoning.budgetTokens() != null) {
      int budget = reasoning.budgetTokens();
      if (budget == 0) {
        return null;
      }
      return budget < 0 ? 8192 : Math.max(1024, budget);
    }
    if (reasoning.effort() == null) {
      return null;
    }
    return switch (reasoning.effort().toLowerCase(Locale.ROOT)) {
      case "none", "minimal" -> null;
      case "low" -> 1024;
      case "high" -> 16384;
      default -> 4096;
    };
  }

  /** metadata.user_id is an opaque id: what looks like an e-mail or phone number is hashed (§5.8). */
  static String userId(String user) {
    if (!user.contains("@") && !PHONE.matcher(user).matches()) {
      return user;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
      return "sha256_" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static GatewayError.Failure invalid(String param, String problem) {
    return AnthropicRequestDecoder.invalid(param, problem);
  }
}

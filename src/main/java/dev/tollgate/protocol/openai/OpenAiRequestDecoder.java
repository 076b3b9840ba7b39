package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.DroppedFields;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
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
 * An OpenAI chat request, as a client sent it, → canonical. Used only for conversion (same
 * protocol in and out is a passthrough), so fields the canonical model cannot carry and a
 * client relies on are rejected here with the field named; fields that only tune quality are
 * dropped (protocols.md §5.16). Null values count as absent (§6.26).
 *
 * <p>Rejected: {@code web_search_options}, audio output ({@code modalities} with "audio",
 * {@code audio}), {@code logprobs:true}/{@code top_logprobs}, custom tools, the {@code
 * allowed_tools} and custom tool choices, {@code file_id} file parts, a tool result whose call
 * id matches no earlier call (§5.6), and {@code max_tokens} below 1.
 *
 * <p>Reported as dropped: {@code logit_bias} and every field this decoder does not know.
 */
final class OpenAiRequestDecoder {

  /** Top-level fields read, refused, or (OpenAI-only, §5.16 "drop") left out without a word. */
  private static final Set<String> KEPT = Set.of(
      "model", "messages", "tools", "functions", "tool_choice", "function_call", "parallel_tool_calls",
      "max_completion_tokens", "max_tokens", "reasoning_effort", "stream", "stream_options", "temperature",
      "top_p", "stop", "presence_penalty", "frequency_penalty", "seed", "n", "response_format", "user",
      "web_search_options", "modalities", "audio", "logprobs", "top_logprobs",
      "store", "metadata", "service_tier", "prediction", "verbosity", "prompt_cache_key", "safety_identifier");

  private OpenAiRequestDecoder() {}

  static ChatRequest decode(byte[] body) {
    JsonNode root;
    try {
      root = OpenAiTree.parse(body);
    } catch (JsonProcessingException e) {
      throw invalid(null, "the request body is not valid JSON: " + OpenAiTree.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw invalid(null, "the request body is not valid JSON");
    }
    if (!root.isObject()) {
      throw invalid(null, "the request body must be a JSON object");
    }
    rejectUnconvertible(root);

    String model = requiredString(root, "model");
    List<ContentPart.Text> system = new ArrayList<>();
    List<Message> messages = new Messages(system).decode(root.get("messages"));

    List<Tool> tools = tools(root);
    ToolChoice toolChoice = tools.isEmpty() ? null : toolChoice(root);
    Boolean parallel = tools.isEmpty() ? null : optionalBoolean(root, "parallel_tool_calls");

    Integer maxCompletion = positiveInt(root, "max_completion_tokens");
    Integer maxTokens = positiveInt(root, "max_tokens");

    Reasoning reasoning = null;
    String effort = optionalString(root, "reasoning_effort");
    if (effort != null) {
      reasoning = new Reasoning(effort, null, false);
    }
    Boolean stream = optionalBoolean(root, "stream");
    JsonNode streamOptions = OpenAiTree.field(root, "stream_options");
    if (streamOptions != null && !streamOptions.isObject()) {
      throw invalid("stream_options", "'stream_options' must be an object");
    }

    return new ChatRequest(
        model,
        system,
        messages,
        tools,
        toolChoice,
        parallel,
        maxCompletion != null ? maxCompletion : maxTokens,
        optionalNumber(root, "temperature"),
        optionalNumber(root, "top_p"),
        null,
        stop(root),
        optionalNumber(root, "presence_penalty"),
        optionalNumber(root, "frequency_penalty"),
        optionalLong(root, "seed"),
        positiveInt(root, "n"),
        responseFormat(root),
        reasoning,
        optionalString(root, "user"),
        Boolean.TRUE.equals(stream),
        DroppedFields.notIn(root, KEPT));
  }

  /** Fields the client relies on and no conversion can honour (§5.16 "reject"). */
  private static void rejectUnconvertible(JsonNode root) {
    if (OpenAiTree.field(root, "web_search_options") != null) {
      throw invalid("web_search_options", "'web_search_options' (built-in web search) is not available for this model");
    }
    JsonNode modalities = OpenAiTree.field(root, "modalities");
    if (modalities != null && modalities.isArray()) {
      for (JsonNode modality : modalities) {
        if ("audio".equals(modality.asText())) {
          throw invalid("modalities", "audio output is not available for this model");
        }
      }
    }
    if (OpenAiTree.field(root, "audio") != null) {
      throw invalid("audio", "audio output is not available for this model");
    }
    JsonNode logprobs = OpenAiTree.field(root, "logprobs");
    if (logprobs != null && logprobs.asBoolean(false)) {
      throw invalid("logprobs", "'logprobs' is not available for this model");
    }
    JsonNode topLogprobs = OpenAiTree.field(root, "top_logprobs");
    if (topLogprobs != null && topLogprobs.asInt(0) > 0) {
      throw invalid("top_logprobs", "'top_logprobs' is not available for this model");
    }
  }

  /** Decodes the messages; hoists system and developer turns into {@code system} in order. */
  private static final class Messages {
    private final List<ContentPart.Text> system;
    private final List<Message> out = new ArrayList<>();
    private final Map<String, String> callNames = new HashMap<>();
    // Legacy function calling has no ids: each call gets one, and its result takes the oldest
    // unanswered id of the same name.
    private final Map<String, List<String>> openLegacyCalls = new HashMap<>();
    private int legacyCalls;
    private List<ContentPart> pendingResults;

    Messages(List<ContentPart.Text> system) {
      this.system = system;
    }

    List<Message> decode(JsonNode messages) {
      if (messages == null || messages.isNull()) {
        throw invalid("messages", "'messages' is required");
      }
      if (!messages.isArray()) {
        throw invalid("messages", "'messages' must be an array of message objects");
      }
      if (messages.isEmpty()) {
        throw invalid("messages", "'messages' must not be empty");
      }
      for (int i = 0; i < messages.size(); i++) {
        message(messages.get(i), "messages[" + i + "]");
      }
      flushResults();
      return out;
    }

    private void message(JsonNode message, String path) {
      if (!message.isObject()) {
        throw invalid(path, path + " must be an object");
      }
      JsonNode roleNode = message.get("role");
      if (roleNode == null || !roleNode.isTextual()) {
        throw invalid(path + ".role", path + ".role must be a string");
      }
      String role = roleNode.textValue();
      switch (role) {
        case "system", "developer" -> system.addAll(texts(message.get("content"), path + ".content", true));
        case "user" -> add(new Message(Role.USER, userContent(message.get("content"), path + ".content")));
        case "assistant" -> add(new Message(Role.ASSISTANT, assistant(message, path)));
        case "tool" -> toolResult(message, path);
        case "function" -> legacyFunctionResult(message, path);
        default -> throw invalid(path + ".role", "unknown role '" + role + "' in " + path);
      }
    }

    private void add(Message message) {
      flushResults();
      out.add(message);
    }

    /** Consecutive tool messages form one TOOL turn, as the results of one assistant turn. */
    private void flushResults() {
      if (pendingResults != null) {
        out.add(new Message(Role.TOOL, pendingResults));
        pendingResults = null;
      }
    }

    private void addResult(ContentPart.ToolResult result) {
      if (pendingResults == null) {
        pendingResults = new ArrayList<>();
      }
      pendingResults.add(result);
    }

    private List<ContentPart> userContent(JsonNode content, String path) {
      if (content == null || content.isNull()) {
        throw invalid(path, path + " is required for user messages");
      }
      if (content.isTextual()) {
        return List.of(new ContentPart.Text(content.textValue()));
      }
      if (!content.isArray()) {
        throw invalid(path, path + " must be a string or an array of content parts");
      }
      List<ContentPart> parts = new ArrayList<>(content.size());
      for (int j = 0; j < content.size(); j++) {
        parts.add(userPart(content.get(j), path + "[" + j + "]"));
      }
      return parts;
    }

    private ContentPart userPart(JsonNode part, String path) {
      String type = partType(part, path);
      return switch (type) {
        case "text" -> new ContentPart.Text(requiredString(part, "text", path + ".text"));
        case "image_url" -> image(part, path + ".image_url");
        case "input_audio" -> {
          JsonNode audio = requiredObject(part, "input_audio", path + ".input_audio");
          yield new ContentPart.Audio(
              requiredString(audio, "format", path + ".input_audio.format"),
              DataUrl.normaliseBase64(requiredString(audio, "data", path + ".input_audio.data"), path + ".input_audio.data"));
        }
        case "file" -> file(part, path + ".file");
        default -> throw invalid(path + ".type", "content part type '" + type + "' in " + path + " is not supported");
      };
    }

    private ContentPart image(JsonNode part, String path) {
      JsonNode imageUrl = OpenAiTree.field(part, "image_url");
      String url;
      if (imageUrl != null && imageUrl.isTextual()) {
        url = imageUrl.textValue(); // an old shorthand some clients still send
      } else {
        url = requiredString(requiredObject(part, "image_url", path), "url", path + ".url");
      }
      url = url.strip();
      if (url.isEmpty()) {
        throw invalid(path + ".url", path + ".url must not be empty");
      }
      if (DataUrl.isDataUrl(url)) {
        DataUrl data = DataUrl.parse(url, path + ".url");
        return ContentPart.Image.inline(data.mimeType(), data.base64());
      }
      return ContentPart.Image.remote(url);
    }

    private ContentPart file(JsonNode part, String path) {
      JsonNode file = requiredObject(part, "file", path);
      String filename = optionalString(file, "filename", path + ".filename");
      String fileData = optionalString(file, "file_data", path + ".file_data");
      if (fileData == null) {
        if (OpenAiTree.field(file, "file_id") != null) {
          throw invalid(path + ".file_id", "file ids refer to files stored at OpenAI and cannot be used with this model; send file_data");
        }
        throw invalid(path + ".file_data", path + ".file_data is required");
      }
      if (DataUrl.isDataUrl(fileData.strip())) {
        DataUrl data = DataUrl.parse(fileData.strip(), path + ".file_data");
        return new ContentPart.File(data.mimeType(), data.base64(), filename);
      }
      // Bare base64 (some clients omit the data: prefix): only a PDF can be recognised.
      String base64 = DataUrl.normaliseBase64(fileData, path + ".file_data");
      if (!base64.startsWith("JVBER")) {
        throw invalid(path + ".file_data", path + ".file_data must be a data URL");
      }
      return new ContentPart.File("application/pdf", base64, filename);
    }

    private List<ContentPart> assistant(JsonNode message, String path) {
      List<ContentPart> parts = new ArrayList<>();
      JsonNode content = OpenAiTree.field(message, "content");
      if (content != null) {
        if (content.isTextual()) {
          if (!content.textValue().isEmpty()) {
            parts.add(new ContentPart.Text(content.textValue()));
          }
        } else if (content.isArray()) {
          for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partPath = path + ".content[" + j + "]";
            String type = partType(part, partPath);
            switch (type) {
              case "text" -> parts.add(new ContentPart.Text(requiredString(part, "text", partPath + ".text")));
              case "refusal" -> parts.add(new ContentPart.Text(requiredString(part, "refusal", partPath + ".refusal")));
              default -> throw invalid(partPath + ".type", "content part type '" + type + "' is not allowed in assistant messages");
            }
          }
        } else {
          throw invalid(path + ".content", path + ".content must be a string, an array or null");
        }
      }
      String refusal = optionalString(message, "refusal", path + ".refusal");
      if (refusal != null && !refusal.isEmpty()) {
        parts.add(new ContentPart.Text(refusal));
      }
      JsonNode toolCalls = OpenAiTree.field(message, "tool_calls");
      if (toolCalls != null) {
        if (!toolCalls.isArray()) {
          throw invalid(path + ".tool_calls", path + ".tool_calls must be an array");
        }
        for (int k = 0; k < toolCalls.size(); k++) {
          parts.add(toolCall(toolCalls.get(k), path + ".tool_calls[" + k + "]"));
        }
      }
      JsonNode functionCall = OpenAiTree.field(message, "function_call");
      if (functionCall != null) {
        parts.add(legacyFunctionCall(functionCall, path + ".function_call"));
      }
      return parts;
    }

    private ContentPart.ToolCall toolCall(JsonNode call, String path) {
      if (!call.isObject()) {
        throw invalid(path, path + " must be an object");
      }
      String type = optionalString(call, "type", path + ".type");
      if (type != null && !type.equals("function")) {
        throw invalid(path + ".type", "tool call type '" + type + "' cannot be used with this model");
      }
      String id = requiredString(call, "id", path + ".id");
      JsonNode function = requiredObject(call, "function", path + ".function");
      String name = requiredString(function, "name", path + ".function.name");
      String arguments = optionalString(function, "arguments", path + ".function.arguments");
      callNames.put(id, name);
      return new ContentPart.ToolCall(id, name, arguments == null ? "" : arguments);
    }

    private ContentPart.ToolCall legacyFunctionCall(JsonNode call, String path) {
      if (!call.isObject()) {
        throw invalid(path, path + " must be an object");
      }
      String name = requiredString(call, "name", path + ".name");
      String arguments = optionalString(call, "arguments", path + ".arguments");
      String id = "call_legacy_" + legacyCalls++;
      callNames.put(id, name);
      openLegacyCalls.computeIfAbsent(name, n -> new ArrayList<>()).add(id);
      return new ContentPart.ToolCall(id, name, arguments == null ? "" : arguments);
    }

    private void toolResult(JsonNode message, String path) {
      String callId = requiredString(message, "tool_call_id", path + ".tool_call_id");
      String name = callNames.get(callId);
      if (name == null) {
        throw invalid(path + ".tool_call_id", "tool_call_id '" + callId + "' in " + path + " matches no earlier tool call");
      }
      addResult(new ContentPart.ToolResult(callId, name, resultContent(message, path), false));
    }

    private void legacyFunctionResult(JsonNode message, String path) {
      String name = requiredString(message, "name", path + ".name");
      List<String> open = openLegacyCalls.get(name);
      if (open == null || open.isEmpty()) {
        throw invalid(path + ".name", "function result '" + name + "' in " + path + " matches no earlier function call");
      }
      addResult(new ContentPart.ToolResult(open.removeFirst(), name, resultContent(message, path), false));
    }

    private List<ContentPart> resultContent(JsonNode message, String path) {
      JsonNode content = OpenAiTree.field(message, "content");
      if (content == null) {
        return List.of(new ContentPart.Text(""));
      }
      return List.copyOf(texts(content, path + ".content", false));
    }
  }

  /** String or array of text parts (system, developer, tool content). */
  private static List<ContentPart.Text> texts(JsonNode content, String path, boolean required) {
    if (content == null || content.isNull()) {
      if (required) {
        throw invalid(path, path + " is required");
      }
      return List.of();
    }
    if (content.isTextual()) {
      return List.of(new ContentPart.Text(content.textValue()));
    }
    if (!content.isArray()) {
      throw invalid(path, path + " must be a string or an array of text parts");
    }
    List<ContentPart.Text> texts = new ArrayList<>(content.size());
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String partPath = path + "[" + j + "]";
      String type = partType(part, partPath);
      if (!type.equals("text")) {
        throw invalid(partPath + ".type", "only text parts are allowed in " + path);
      }
      texts.add(new ContentPart.Text(requiredString(part, "text", partPath + ".text")));
    }
    return texts;
  }

  private static String partType(JsonNode part, String path) {
    if (!part.isObject()) {
      throw invalid(path, path + " must be an object");
    }
    return requiredString(part, "type", path + ".type");
  }

  private static List<Tool> tools(JsonNode root) {
    JsonNode tools = OpenAiTree.field(root, "tools");
    List<Tool> out = new ArrayList<>();
    if (tools != null) {
      if (!tools.isArray()) {
        throw invalid("tools", "'tools' must be an array");
      }
      for (int i = 0; i < tools.size(); i++) {
        String path = "tools[" + i + "]";
        JsonNode tool = tools.get(i);
        if (!tool.isObject()) {
          throw invalid(path, path + " must be an object");
        }
        String type = requiredString(tool, "type", path + ".type");
        if (!type.equals("function")) {
          throw invalid(path + ".type", "tool type '" + type + "' is not available for this model");
        }
        out.add(function(requiredObject(tool, "function", path + ".function"), path + ".function"));
      }
    }
    JsonNode functions = OpenAiTree.field(root, "functions"); // legacy function calling
    if (functions != null && out.isEmpty()) {
      if (!functions.isArray()) {
        throw invalid("functions", "'functions' must be an array");
      }
      for (int i = 0; i < functions.size(); i++) {
        out.add(function(functions.get(i), "functions[" + i + "]"));
      }
    }
    return out;
  }

  private static Tool function(JsonNode function, String path) {
    if (!function.isObject()) {
      throw invalid(path, path + " must be an object");
    }
    JsonNode parameters = OpenAiTree.field(function, "parameters");
    if (parameters != null && !parameters.isObject()) {
      throw invalid(path + ".parameters", path + ".parameters must be a JSON Schema object");
    }
    return new Tool(
        requiredString(function, "name", path + ".name"),
        optionalString(function, "description", path + ".description"),
        parameters,
        optionalBoolean(function, "strict", path + ".strict"));
  }

  private static ToolChoice toolChoice(JsonNode root) {
    JsonNode choice = OpenAiTree.field(root, "tool_choice");
    String param = "tool_choice";
    if (choice == null) {
      choice = OpenAiTree.field(root, "function_call"); // legacy
      param = "function_call";
      if (choice == null) {
        return null;
      }
    }
    if (choice.isTextual()) {
      return switch (choice.textValue()) {
        case "auto" -> new ToolChoice.Auto();
        case "none" -> new ToolChoice.None();
        case "required" -> new ToolChoice.Required(List.of());
        default -> throw invalid(param, "unknown " + param + " '" + choice.textValue() + "'");
      };
    }
    if (!choice.isObject()) {
      throw invalid(param, "'" + param + "' must be a string or an object");
    }
    if (param.equals("function_call")) {
      return new ToolChoice.Specific(requiredString(choice, "name", "function_call.name"));
    }
    String type = requiredString(choice, "type", "tool_choice.type");
    if (!type.equals("function")) {
      throw invalid("tool_choice", "tool_choice of type '" + type + "' is not available for this model");
    }
    JsonNode function = requiredObject(choice, "function", "tool_choice.function");
    return new ToolChoice.Specific(requiredString(function, "name", "tool_choice.function.name"));
  }

  private static List<String> stop(JsonNode root) {
    JsonNode stop = OpenAiTree.field(root, "stop");
    if (stop == null) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.textValue());
    }
    if (!stop.isArray()) {
      throw invalid("stop", "'stop' must be a string or an array of strings");
    }
    List<String> out = new ArrayList<>(stop.size());
    for (JsonNode sequence : stop) {
      if (!sequence.isTextual()) {
        throw invalid("stop", "'stop' must be a string or an array of strings");
      }
      out.add(sequence.textValue());
    }
    return out;
  }

  private static ResponseFormat responseFormat(JsonNode root) {
    JsonNode format = OpenAiTree.field(root, "response_format");
    if (format == null) {
      return null;
    }
    if (!format.isObject()) {
      throw invalid("response_format", "'response_format' must be an object");
    }
    String type = requiredString(format, "type", "response_format.type");
    return switch (type) {
      case "text" -> new ResponseFormat.Text();
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> {
        JsonNode schema = requiredObject(format, "json_schema", "response_format.json_schema");
        String name = optionalString(schema, "name", "response_format.json_schema.name");
        JsonNode body = OpenAiTree.field(schema, "schema");
        if (body != null && !body.isObject()) {
          throw invalid("response_format.json_schema.schema", "'response_format.json_schema.schema' must be an object");
        }
        yield new ResponseFormat.JsonSchema(
            name == null ? "response" : name, body, optionalBoolean(schema, "strict", "response_format.json_schema.strict"));
      }
      default -> throw invalid("response_format.type", "response_format type '" + type + "' is not supported");
    };
  }

  // Typed field readers: each names the field it rejects.

  private static String requiredString(JsonNode object, String field) {
    return requiredString(object, field, field);
  }

  private static String requiredString(JsonNode object, String field, String param) {
    String value = optionalString(object, field, param);
    if (value == null || (param.equals("model") && value.isBlank())) {
      throw invalid(param, "'" + param + "' is required" + (param.equals("model") ? " and must be a non-empty string" : ""));
    }
    return value;
  }

  private static String optionalString(JsonNode object, String field) {
    return optionalString(object, field, field);
  }

  private static String optionalString(JsonNode object, String field, String param) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(param, "'" + param + "' must be a string");
    }
    return value.textValue();
  }

  private static JsonNode requiredObject(JsonNode object, String field, String param) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      throw invalid(param, "'" + param + "' is required");
    }
    if (!value.isObject()) {
      throw invalid(param, "'" + param + "' must be an object");
    }
    return value;
  }

  private static Boolean optionalBoolean(JsonNode object, String field) {
    return optionalBoolean(object, field, field);
  }

  private static Boolean optionalBoolean(JsonNode object, String field, String param) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      throw invalid(param, "'" + param + "' must be a boolean");
    }
    return value.booleanValue();
  }

  private static Double optionalNumber(JsonNode object, String field) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber()) {
      throw invalid(field, "'" + field + "' must be a number");
    }
    return value.doubleValue();
  }

  private static Long optionalLong(JsonNode object, String field) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw invalid(field, "'" + field + "' must be an integer");
    }
    return value.longValue();
  }

  private static Integer positiveInt(JsonNode object, String field) {
    JsonNode value = OpenAiTree.field(object, field);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !value.canConvertToExactIntegral()) {
      throw invalid(field, "'" + field + "' must be an integer");
    }
    if (value.bigIntegerValue().signum() <= 0) {
      throw invalid(field, "'" + field + "' must be at least 1");
    }
    if (!value.canConvertToInt()) {
      throw invalid(field, "'" + field + "' is too large");
    }
    return value.intValue();
  }

  private static GatewayError.Failure invalid(String param, String message) {
    return new GatewayError.Failure(GatewayError.invalid(param, message));
  }
}

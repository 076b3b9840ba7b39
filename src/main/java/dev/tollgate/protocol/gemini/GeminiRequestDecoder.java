package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.GeminiFields.array;
import static dev.tollgate.protocol.gemini.GeminiFields.bool;
import static dev.tollgate.protocol.gemini.GeminiFields.get;
import static dev.tollgate.protocol.gemini.GeminiFields.integer;
import static dev.tollgate.protocol.gemini.GeminiFields.invalid;
import static dev.tollgate.protocol.gemini.GeminiFields.longInteger;
import static dev.tollgate.protocol.gemini.GeminiFields.number;
import static dev.tollgate.protocol.gemini.GeminiFields.object;
import static dev.tollgate.protocol.gemini.GeminiFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec.RequestTarget;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A client's {@code generateContent} body → canonical. The model and the streaming flag come from
 * the URL. One instance per request: it counts function calls to synthesise their ids.
 * {@code safetySettings} and top-level fields it does not know are reported as dropped.
 */
final class GeminiRequestDecoder {

  /** Top-level fields read or refused, in both spellings Gemini accepts. */
  private static final Set<String> KEPT = Stream.of(
          "model", "contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "cachedContent")
      .flatMap(name -> Stream.of(name, GeminiFields.snake(name)))
      .collect(Collectors.toUnmodifiableSet());

  /** Built-in tools that exist only at Google (protocols.md §5.4, §5.16). */
  private static final List<String> BUILT_IN_TOOLS = List.of(
      "googleSearch", "googleSearchRetrieval", "codeExecution", "urlContext", "googleMaps",
      "computerUse", "fileSearch", "retrieval", "enterpriseWebSearch");

  private int callCount;
  /** Calls of the latest model turn not yet answered, in order. */
  private final List<ContentPart.ToolCall> unanswered = new ArrayList<>();

  static ChatRequest decode(byte[] body, RequestTarget target) {
    return new GeminiRequestDecoder().request(body, target);
  }

  private ChatRequest request(byte[] body, RequestTarget target) {
    JsonNode root = GeminiJson.readOrNull(body);
    if (root == null) {
      throw new GatewayError.Failure(GatewayError.invalid(null, "the request body is not valid JSON"));
    }
    if (!root.isObject()) {
      throw new GatewayError.Failure(GatewayError.invalid(null, "the request body must be a JSON object"));
    }
    String model = target.model() != null ? target.model() : string(root, "model", "model");
    if (model == null || model.isBlank()) {
      throw invalid("model", "is missing: give it in the path, /v1beta/models/{model}:generateContent");
    }
    if (model.startsWith("models/")) {
      model = model.substring("models/".length());
    }
    if (get(root, "cachedContent") != null) {
      throw invalid("cachedContent", "cannot be converted: the cache lives at Google");
    }

    List<ContentPart.Text> system = system(object(root, "systemInstruction", "systemInstruction"));
    List<Message> messages = contents(root);
    List<Tool> tools = tools(array(root, "tools", "tools"));
    ToolChoice toolChoice = tools.isEmpty() ? null : toolChoice(object(root, "toolConfig", "toolConfig"));

    JsonNode config = object(root, "generationConfig", "generationConfig");
    List<String> dropped = DroppedFields.notIn(root, KEPT);
    if (config == null) {
      return new ChatRequest(model, system, messages, tools, toolChoice, null, null, null, null, null,
          null, null, null, null, null, null, null, null, target.stream(), dropped);
    }
    String g = "generationConfig.";
    Integer maxOutputTokens = integer(config, "maxOutputTokens", g + "maxOutputTokens");
    if (maxOutputTokens != null && maxOutputTokens < 1) {
      throw invalid(g + "maxOutputTokens", "must be at least 1");
    }
    Integer candidateCount = integer(config, "candidateCount", g + "candidateCount");
    if (candidateCount != null && candidateCount < 1) {
      throw invalid(g + "candidateCount", "must be at least 1");
    }
    if (Boolean.TRUE.equals(bool(config, "responseLogprobs", g + "responseLogprobs"))) {
      throw invalid(g + "responseLogprobs", "cannot be converted: log probabilities are not relayed");
    }
    return new ChatRequest(
        model, system, messages, tools, toolChoice, null,
        maxOutputTokens,
        number(config, "temperature", g + "temperature"),
        number(config, "topP", g + "topP"),
        integer(config, "topK", g + "topK"),
        stopSequences(config),
        number(config, "presencePenalty", g + "presencePenalty"),
        number(config, "frequencyPenalty", g + "frequencyPenalty"),
        longInteger(config, "seed", g + "seed"),
        candidateCount,
        responseFormat(config),
        reasoning(object(config, "thinkingConfig", g + "thinkingConfig")),
        null,
        target.stream(),
        dropped);
  }

  private static List<ContentPart.Text> system(JsonNode instruction) {
    if (instruction == null) {
      return List.of();
    }
    JsonNode parts = array(instruction, "parts", "systemInstruction.parts");
    List<ContentPart.Text> out = new ArrayList<>();
    if (parts == null) {
      return out;
    }
    for (int i = 0; i < parts.size(); i++) {
      String path = "systemInstruction.parts[" + i + "]";
      if (!parts.get(i).isObject()) {
        throw invalid(path, "must be an object");
      }
      String text = string(parts.get(i), "text", path + ".text");
      if (text == null) {
        throw invalid(path, "must be a text part");
      }
      if (!text.isEmpty()) {
        out.add(new ContentPart.Text(text));
      }
    }
    return out;
  }

  private List<Message> contents(JsonNode root) {
    JsonNode contents = array(root, "contents", "contents");
    if (contents == null || contents.isEmpty()) {
      throw invalid("contents", "is required and must hold at least one turn");
    }
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      String path = "contents[" + i + "]";
      JsonNode content = contents.get(i);
      if (!content.isObject()) {
        throw invalid(path, "must be an object");
      }
      String role = string(content, "role", path + ".role");
      boolean model = switch (role == null ? "user" : role) {
        case "user", "function" -> false;
        case "model" -> true;
        default -> throw invalid(path + ".role", "must be user or model");
      };
      JsonNode parts = array(content, "parts", path + ".parts");
      if (parts == null) {
        throw invalid(path + ".parts", "is required");
      }
      turn(parts, model, path, messages);
    }
    if (messages.isEmpty()) {
      throw invalid("contents", "holds no content");
    }
    return messages;
  }

  /** One Gemini turn → canonical messages: a user turn's function responses become a TOOL message first. */
  private void turn(JsonNode parts, boolean model, String path, List<Message> out) {
    if (model) {
      unanswered.clear();
    }
    List<ContentPart> results = new ArrayList<>();
    List<ContentPart> others = new ArrayList<>();
    for (int j = 0; j < parts.size(); j++) {
      String partPath = path + ".parts[" + j + "]";
      JsonNode part = parts.get(j);
      if (!part.isObject()) {
        throw invalid(partPath, "must be an object");
      }
      String signature = string(part, "thoughtSignature", partPath + ".thoughtSignature");
      boolean thought = Boolean.TRUE.equals(bool(part, "thought", partPath + ".thought"));
      String text = string(part, "text", partPath + ".text");
      if (text != null) {
        if (thought) {
          others.add(new ContentPart.Thinking(text, signature, "gemini", false));
          continue;
        }
        signatureBefore(signature, others);
        if (!text.isEmpty()) {
          others.add(new ContentPart.Text(text));
        }
        continue;
      }
      JsonNode inline = object(part, "inlineData", partPath + ".inlineData");
      JsonNode file = object(part, "fileData", partPath + ".fileData");
      JsonNode call = object(part, "functionCall", partPath + ".functionCall");
      JsonNode response = object(part, "functionResponse", partPath + ".functionResponse");
      if (inline != null) {
        signatureBefore(signature, others);
        others.add(inlineData(inline, partPath + ".inlineData"));
      } else if (file != null) {
        String uri = string(file, "fileUri", partPath + ".fileData.fileUri");
        if (uri == null || uri.isBlank()) {
          throw invalid(partPath + ".fileData.fileUri", "is required");
        }
        signatureBefore(signature, others);
        others.add(ContentPart.Image.remote(uri));
      } else if (call != null) {
        if (!model) {
          throw invalid(partPath + ".functionCall", "may appear only in a model turn");
        }
        others.add(functionCall(call, partPath + ".functionCall", signature));
      } else if (response != null) {
        if (model) {
          throw invalid(partPath + ".functionResponse", "may appear only in a user turn");
        }
        results.add(functionResponse(response, partPath + ".functionResponse"));
      } else if (get(part, "executableCode") != null || get(part, "codeExecutionResult") != null) {
        throw invalid(partPath, "cannot be converted: code execution runs only at Google");
      } else {
        throw invalid(partPath, "must hold text, inlineData, fileData, functionCall or functionResponse");
      }
    }
    if (!results.isEmpty()) {
      out.add(new Message(Role.TOOL, results));
    }
    if (!others.isEmpty()) {
      out.add(new Message(model ? Role.ASSISTANT : Role.USER, others));
    }
  }

  /**
   * A signature on a text or media part travels as an empty Thinking part right before it, so that
   * it can be reattached on the way back to Gemini. (A function call carries its own.)
   */
  private static void signatureBefore(String signature, List<ContentPart> out) {
    if (signature != null && !signature.isEmpty()) {
      out.add(new ContentPart.Thinking("", signature, "gemini", false));
    }
  }

  private static ContentPart inlineData(JsonNode inline, String path) {
    String mime = GeminiVocabulary.normaliseMime(string(inline, "mimeType", path + ".mimeType"));
    String data = string(inline, "data", path + ".data");
    if (mime == null || mime.isEmpty()) {
      throw invalid(path + ".mimeType", "is required");
    }
    if (data == null) {
      throw invalid(path + ".data", "is required");
    }
    if (mime.startsWith("image/")) {
      return ContentPart.Image.inline(mime, data);
    }
    if (mime.startsWith("audio/")) {
      return new ContentPart.Audio(GeminiVocabulary.audioFormat(mime), data);
    }
    return new ContentPart.File(mime, data, null);
  }

  private ContentPart.ToolCall functionCall(JsonNode call, String path, String thoughtSignature) {
    String name = string(call, "name", path + ".name");
    if (name == null || name.isEmpty()) {
      throw invalid(path + ".name", "is required");
    }
    JsonNode args = object(call, "args", path + ".args");
    String id = string(call, "id", path + ".id");
    int position = callCount++;
    ContentPart.ToolCall toolCall = new ContentPart.ToolCall(
        id == null || id.isEmpty() ? "call_" + position : id,
        name,
        args == null ? "{}" : GeminiJson.text(args),
        thoughtSignature == null || thoughtSignature.isEmpty() ? null : thoughtSignature);
    unanswered.add(toolCall);
    return toolCall;
  }

  /**
   * Gemini answers calls by name and order; an id, when the client echoed one, wins. A response
   * matching no call of the latest model turn has no counterpart in other protocols: 400.
   */
  private ContentPart.ToolResult functionResponse(JsonNode response, String path) {
    String name = string(response, "name", path + ".name");
    if (name == null || name.isEmpty()) {
      throw invalid(path + ".name", "is required");
    }
    String id = string(response, "id", path + ".id");
    ContentPart.ToolCall call = null;
    if (id != null) {
      call = unanswered.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
    if (call == null) {
      call = unanswered.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
    if (call == null) {
      throw invalid(path, "answers no functionCall named '" + name + "' in the preceding model turn");
    }
    unanswered.remove(call);
    JsonNode body = object(response, "response", path + ".response");
    String content = body == null ? "{}" : GeminiJson.text(body);
    // By convention a response holding only "error" reports a failed call.
    boolean isError = body != null && body.size() == 1 && body.has("error");
    return new ContentPart.ToolResult(call.id(), name, List.of(new ContentPart.Text(content)), isError);
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    if (tools == null) {
      return out;
    }
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalid(path, "must be an object");
      }
      for (String builtIn : BUILT_IN_TOOLS) {
        if (get(tool, builtIn) != null) {
          throw invalid(path + "." + builtIn, "is a Google built-in tool and cannot be converted");
        }
      }
      JsonNode declarations = array(tool, "functionDeclarations", path + ".functionDeclarations");
      if (declarations == null) {
        continue;
      }
      for (int j = 0; j < declarations.size(); j++) {
        String dPath = path + ".functionDeclarations[" + j + "]";
        JsonNode declaration = declarations.get(j);
        if (!declaration.isObject()) {
          throw invalid(dPath, "must be an object");
        }
        String name = string(declaration, "name", dPath + ".name");
        if (name == null || name.isEmpty()) {
          throw invalid(dPath + ".name", "is required");
        }
        JsonNode jsonSchema = object(declaration, "parametersJsonSchema", dPath + ".parametersJsonSchema");
        JsonNode parameters = jsonSchema != null
            ? jsonSchema
            : GeminiSchema.fromGemini(object(declaration, "parameters", dPath + ".parameters"));
        out.add(new Tool(name, string(declaration, "description", dPath + ".description"), parameters, null));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode toolConfig) {
    if (toolConfig == null) {
      return null;
    }
    String path = "toolConfig.functionCallingConfig";
    JsonNode config = object(toolConfig, "functionCallingConfig", path);
    if (config == null) {
      return null;
    }
    String mode = string(config, "mode", path + ".mode");
    JsonNode allowedNode = array(config, "allowedFunctionNames", path + ".allowedFunctionNames");
    List<String> allowed = new ArrayList<>();
    if (allowedNode != null) {
      for (JsonNode name : allowedNode) {
        if (!name.isTextual()) {
          throw invalid(path + ".allowedFunctionNames", "must be an array of strings");
        }
        allowed.add(name.textValue());
      }
    }
    if (mode == null) {
      return null;
    }
    return switch (mode.toUpperCase(Locale.ROOT)) {
      case "MODE_UNSPECIFIED" -> null;
      // VALIDATED lets the model choose, like AUTO, with schema-checked calls.
      case "AUTO", "VALIDATED" -> new ToolChoice.Auto();
      case "NONE" -> new ToolChoice.None();
      case "ANY" -> allowed.size() == 1 ? new ToolChoice.Specific(allowed.get(0)) : new ToolChoice.Required(allowed);
      default -> throw invalid(path + ".mode", "must be AUTO, ANY, NONE or VALIDATED");
    };
  }

  private static List<String> stopSequences(JsonNode config) {
    String path = "generationConfig.stopSequences";
    JsonNode stops = array(config, "stopSequences", path);
    List<String> out = new ArrayList<>();
    if (stops == null) {
      return out;
    }
    for (JsonNode stop : stops) {
      if (!stop.isTextual()) {
        throw invalid(path, "must be an array of strings");
      }
      if (!stop.textValue().isEmpty()) {
        out.add(stop.textValue());
      }
    }
    return out;
  }

  private static ResponseFormat responseFormat(JsonNode config) {
    String g = "generationConfig.";
    String mime = string(config, "responseMimeType", g + "responseMimeType");
    JsonNode jsonSchema = get(config, "responseJsonSchema");
    JsonNode schema = object(config, "responseSchema", g + "responseSchema");
    if (mime == null) {
      if (jsonSchema != null || schema != null) {
        throw invalid(g + "responseMimeType", "must be application/json when a response schema is given");
      }
      return null;
    }
    return switch (mime.toLowerCase(Locale.ROOT)) {
      case "text/plain" -> new ResponseFormat.Text();
      case "application/json" -> jsonSchema != null
          ? new ResponseFormat.JsonSchema("response", jsonSchema, null)
          : schema != null
              ? new ResponseFormat.JsonSchema("response", GeminiSchema.fromGemini(schema), null)
              : new ResponseFormat.JsonObject();
      default -> throw invalid(g + "responseMimeType", "'" + mime + "' cannot be converted; use text/plain or application/json");
    };
  }

  private static Reasoning reasoning(JsonNode thinking) {
    if (thinking == null) {
      return null;
    }
    String path = "generationConfig.thinkingConfig.";
    Integer budget = integer(thinking, "thinkingBudget", path + "thinkingBudget");
    if (budget != null && budget < -1) {
      throw invalid(path + "thinkingBudget", "must be -1 (dynamic), 0 (off) or a positive budget");
    }
    boolean include = Boolean.TRUE.equals(bool(thinking, "includeThoughts", path + "includeThoughts"));
    String level = string(thinking, "thinkingLevel", path + "thinkingLevel");
    String effort = budget == null && level != null ? level.toLowerCase(Locale.ROOT) : null;
    return new Reasoning(effort, budget, include);
  }
}

package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.StreamedChoices;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Setting;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Canonical → the {@code generateContent} body for a Gemini upstream. The model travels in the
 * URL, not the body. {@code parallelToolCalls} and {@code user} have no Gemini equivalent and are
 * dropped (the first reported, by {@link #dropped}). One instance per request: it remembers the
 * calls made so far to name their results.
 */
final class GeminiRequestEncoder {

  static final int MAX_STOP_SEQUENCES = 5;

  /** A call the history made: its name, and where it stands among all calls (results follow that order). */
  private record KnownCall(String name, int position) {}

  /** A Gemini part being built, with the call position that orders function responses. */
  private record OutPart(ObjectNode json, int callPosition) {}

  private record Turn(String role, List<OutPart> parts) {}

  private final Map<String, KnownCall> calls = new HashMap<>();
  private final List<Turn> turns = new ArrayList<>();

  static byte[] encode(ChatRequest request) {
    StreamedChoices.requireOne(request); // the canonical stream could not tell the candidates apart
    return GeminiJson.bytes(new GeminiRequestEncoder().body(request));
  }

  /** The settings Gemini has no field for (§5.5), which {@link #encode} leaves out. */
  static Set<Setting> dropped(ChatRequest request) {
    return Boolean.FALSE.equals(request.parallelToolCalls()) ? Set.of(Setting.NO_PARALLEL_TOOL_CALLS) : Set.of();
  }

  private ObjectNode body(ChatRequest request) {
    ObjectNode root = GeminiJson.MAPPER.createObjectNode();
    for (int i = 0; i < request.messages().size(); i++) {
      message(request.messages().get(i), i);
    }
    if (turns.isEmpty()) {
      throw new GatewayError.Failure(GatewayError.invalid("messages", "no message has content to send"));
    }
    ArrayNode contents = root.putArray("contents");
    for (Turn turn : turns) {
      ObjectNode content = contents.addObject();
      content.put("role", turn.role());
      ArrayNode parts = content.putArray("parts");
      ordered(turn).forEach(p -> parts.add(p.json()));
    }
    systemInstruction(request, root);
    tools(request, root);
    ObjectNode config = generationConfig(request);
    if (!config.isEmpty()) {
      root.set("generationConfig", config);
    }
    return root;
  }

  /** Function responses first, in the order of their calls; everything else after, in order. */
  private static List<OutPart> ordered(Turn turn) {
    List<OutPart> parts = new ArrayList<>(turn.parts());
    parts.sort(Comparator.comparingInt(p -> p.callPosition() < 0 ? Integer.MAX_VALUE : p.callPosition()));
    return parts;
  }

  private void message(Message message, int index) {
    String role = message.role() == Role.ASSISTANT ? "model" : "user";
    List<OutPart> parts = new ArrayList<>();
    String pendingSignature = null;
    for (int j = 0; j < message.parts().size(); j++) {
      String path = "messages[" + index + "].content[" + j + "]";
      ContentPart part = message.parts().get(j);
      if (part instanceof ContentPart.Thinking thinking) {
        if (!"gemini".equals(thinking.vendor()) || thinking.redacted()) {
          continue; // another vendor's reasoning is meaningless, even harmful, to Gemini (§6.33)
        }
        if (thinking.text() == null || thinking.text().isEmpty()) {
          pendingSignature = thinking.signature(); // belongs to the part that follows
          continue;
        }
        ObjectNode json = GeminiJson.MAPPER.createObjectNode().put("text", thinking.text()).put("thought", true);
        if (thinking.signature() != null) {
          json.put("thoughtSignature", thinking.signature());
        }
        parts.add(new OutPart(json, -1));
        continue;
      }
      List<OutPart> encoded = part(part, path);
      if (pendingSignature != null && !encoded.isEmpty()) {
        ObjectNode first = encoded.get(0).json();
        if (!first.has("thoughtSignature")) { // a call's own signature wins
          first.put("thoughtSignature", pendingSignature);
        }
        pendingSignature = null;
      }
      parts.addAll(encoded);
    }
    if (parts.isEmpty()) {
      return; // an empty turn is dropped and its neighbours merge (§6.1)
    }
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && last.role().equals(role)) {
      last.parts().addAll(parts);
    } else {
      turns.add(new Turn(role, parts));
    }
  }

  private List<OutPart> part(ContentPart part, String path) {
    ObjectNode json = GeminiJson.MAPPER.createObjectNode();
    switch (part) {
      case ContentPart.Text text -> {
        if (text.text() == null || text.text().isEmpty()) {
          return List.of();
        }
        json.put("text", text.text());
      }
      case ContentPart.Image image -> image(image, json, path);
      case ContentPart.Audio audio -> inline(json, GeminiVocabulary.audioMime(audio.format()), audio.data());
      case ContentPart.File file -> inline(json, GeminiVocabulary.normaliseMime(file.mimeType()), file.data());
      case ContentPart.ToolCall call -> {
        calls.put(call.id(), new KnownCall(call.name(), calls.size()));
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
      case ContentPart.ToolResult result -> {
        return toolResult(result, path);
      }
      case ContentPart.Thinking ignored -> throw new IllegalStateException("handled by the caller");
    }
    return List.of(new OutPart(json, -1));
  }

  /**
   * Gemini matches results to calls by name and order, so the name comes from the call with the
   * result's id. Images in a result cannot go inside {@code functionResponse}; they follow it as
   * parts of the same turn.
   */
  private List<OutPart> toolResult(ContentPart.ToolResult result, String path) {
    KnownCall call = calls.get(result.callId());
    if (call == null) {
      throw new GatewayError.Failure(GatewayError.invalid(path,
          "tool result '" + result.callId() + "' answers no earlier tool call"));
    }
    StringBuilder text = new StringBuilder();
    List<OutPart> out = new ArrayList<>();
    out.add(null);
    for (int k = 0; k < result.content().size(); k++) {
      ContentPart piece = result.content().get(k);
      if (piece instanceof ContentPart.Text t) {
        text.append(t.text());
      } else if (piece instanceof ContentPart.Thinking) {
        continue;
      } else if (piece instanceof ContentPart.ToolResult || piece instanceof ContentPart.ToolCall) {
        throw new GatewayError.Failure(GatewayError.invalid(path, "a tool result cannot hold tool calls or results"));
      } else {
        out.addAll(part(piece, path + ".content[" + k + "]"));
      }
    }
    ObjectNode json = GeminiJson.MAPPER.createObjectNode();
    ObjectNode response = json.putObject("functionResponse");
    response.put("id", result.callId());
    response.put("name", call.name());
    response.set("response", responseObject(text.toString(), result.isError()));
    out.set(0, new OutPart(json, call.position()));
    return out;
  }

  /** {@code response} must be an object: a JSON object result goes as is, other text is wrapped. */
  private static JsonNode responseObject(String text, boolean isError) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      JsonNode parsed = GeminiJson.readOrNull(trimmed);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    }
    return GeminiJson.MAPPER.createObjectNode().put(isError ? "error" : "content", text);
  }

  private static void image(ContentPart.Image image, ObjectNode json, String path) {
    if (image.isInline()) {
      inline(json, GeminiVocabulary.normaliseMime(image.mimeType()), image.data());
      return;
    }
    String url = image.url();
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      int semicolon = url.indexOf(';');
      if (comma < 0 || semicolon < 0 || semicolon > comma || !url.substring(semicolon, comma).contains("base64")) {
        throw new GatewayError.Failure(GatewayError.invalid(path, "the image data URL must be data:<mime>;base64,<data>"));
      }
      inline(json, GeminiVocabulary.normaliseMime(url.substring(5, semicolon)), url.substring(comma + 1).replaceAll("\\s", ""));
      return;
    }
    String scheme = schemeOf(url);
    if (scheme.equals("gs") || isGoogleFile(url)) {
      json.putObject("fileData").put("fileUri", url);
      return;
    }
    throw new GatewayError.Failure(GatewayError.invalid(path,
        "this image URL could not be sent to Gemini, which takes image bytes; send the image inline as a data URL"));
  }

  private static String schemeOf(String url) {
    int colon = url.indexOf(':');
    return colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** A Files API URI: the one kind of https URL Gemini reads itself. */
  private static boolean isGoogleFile(String url) {
    try {
      URI uri = URI.create(url);
      return "https".equalsIgnoreCase(uri.getScheme()) && "generativelanguage.googleapis.com".equalsIgnoreCase(uri.getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void inline(ObjectNode json, String mimeType, String data) {
    json.putObject("inlineData").put("mimeType", mimeType).put("data", data);
  }

  private static void systemInstruction(ChatRequest request, ObjectNode root) {
    ArrayNode parts = GeminiJson.MAPPER.createArrayNode();
    for (ContentPart.Text text : request.system()) {
      if (text.text() != null && !text.text().isEmpty()) {
        parts.addObject().put("text", text.text());
      }
    }
    if (!parts.isEmpty()) {
      root.putObject("systemInstruction").set("parts", parts);
    }
  }

  /** All functions go into one {@code tools[0].functionDeclarations} (§5.4); no tools, no choice (§6.26). */
  private static void tools(ChatRequest request, ObjectNode root) {
    if (request.tools().isEmpty()) {
      return;
    }
    ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
    for (Tool tool : request.tools()) {
      ObjectNode declaration = declarations.addObject().put("name", tool.name());
      if (tool.description() != null && !tool.description().isEmpty()) {
        declaration.put("description", tool.description());
      }
      // Gemini rejects an object schema without properties; a function without parameters omits it.
      if (!GeminiSchema.isEmptyObject(tool.parameters())) {
        declaration.set("parameters", GeminiSchema.toGemini(tool.parameters()));
      }
    }
    if (request.toolChoice() == null) {
      return;
    }
    ObjectNode config = root.putObject("toolConfig").putObject("functionCallingConfig");
    switch (request.toolChoice()) {
      case ToolChoice.Auto auto -> config.put("mode", "AUTO");
      case ToolChoice.None none -> config.put("mode", "NONE");
      case ToolChoice.Required required -> {
        config.put("mode", "ANY");
        if (!required.allowed().isEmpty()) {
          ArrayNode names = config.putArray("allowedFunctionNames");
          required.allowed().forEach(names::add);
        }
      }
      case ToolChoice.Specific specific -> {
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(specific.name());
      }
    }
  }

  private static ObjectNode generationConfig(ChatRequest request) {
    ObjectNode config = GeminiJson.MAPPER.createObjectNode();
    if (request.temperature() != null) {
      config.put("temperature", request.temperature());
    }
    if (request.topP() != null) {
      config.put("topP", request.topP());
    }
    if (request.topK() != null) {
      config.put("topK", request.topK());
    }
    if (request.maxOutputTokens() != null) {
      config.put("maxOutputTokens", request.maxOutputTokens());
    }
    List<String> stops = request.stop().stream().filter(s -> s != null && !s.isEmpty()).toList();
    if (stops.size() > MAX_STOP_SEQUENCES) {
      throw new GatewayError.Failure(GatewayError.invalid("stop",
          "Gemini accepts at most " + MAX_STOP_SEQUENCES + " stop sequences; " + stops.size() + " were given"));
    }
    if (!stops.isEmpty()) {
      ArrayNode array = config.putArray("stopSequences");
      stops.forEach(array::add);
    }
    if (request.n() != null) {
      config.put("candidateCount", request.n());
    }
    if (request.presencePenalty() != null) {
      config.put("presencePenalty", request.presencePenalty());
    }
    if (request.frequencyPenalty() != null) {
      config.put("frequencyPenalty", request.frequencyPenalty());
    }
    if (request.seed() != null) {
      config.put("seed", request.seed());
    }
    switch (request.responseFormat()) {
      case null -> {}
      case ResponseFormat.Text text -> {}
      case ResponseFormat.JsonObject json -> config.put("responseMimeType", "application/json");
      case ResponseFormat.JsonSchema schema -> {
        config.put("responseMimeType", "application/json");
        if (schema.schema() != null) {
          config.set("responseSchema", GeminiSchema.toGemini(schema.schema()));
        }
      }
    }
    ObjectNode thinking = thinkingConfig(request.reasoning());
    if (thinking != null) {
      config.set("thinkingConfig", thinking);
    }
    return config;
  }

  /** Effort → budget with the table of protocols.md §5.11; {@code none} and {@code minimal} turn thinking off. */
  static ObjectNode thinkingConfig(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    Integer budget = reasoning.budgetTokens();
    if (budget == null && reasoning.effort() != null) {
      budget = switch (reasoning.effort().toLowerCase(Locale.ROOT)) {
        case "none", "minimal" -> 0;
        case "low" -> 1024;
        case "medium" -> 4096;
        case "high" -> 16384;
        default -> throw new GatewayError.Failure(GatewayError.invalid("reasoning_effort",
            "'" + reasoning.effort() + "' is not a reasoning effort Gemini can honour"));
      };
    }
    if (budget == null && !reasoning.includeThoughts()) {
      return null;
    }
    ObjectNode out = GeminiJson.MAPPER.createObjectNode();
    if (budget != null) {
      out.put("thinkingBudget", budget);
    }
    if (reasoning.includeThoughts() && (budget == null || budget != 0)) {
      out.put("includeThoughts", true);
    }
    return out;
  }
}

package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.StreamedChoices;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Setting;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Canonical → the body of an OpenAI(-compatible) upstream chat request.
 *
 * <p>Max tokens go out as {@code max_tokens}, the name every OpenAI-compatible vendor knows;
 * reasoning models that want {@code max_completion_tokens} need a per-model channel flag, which
 * is the caller's (§5.8). Streams always ask for {@code include_usage}: the gateway meters from
 * it (§6.14). {@code top_k} and thinking parts have no OpenAI equivalent and are dropped.
 */
final class OpenAiRequestEncoder {

  private OpenAiRequestEncoder() {}

  /** The settings OpenAI has no field for (§5.8), which {@link #encode} leaves out. */
  static Set<Setting> dropped(ChatRequest request) {
    return request.topK() != null ? Set.of(Setting.TOP_K) : Set.of();
  }

  static byte[] encode(ChatRequest request, String upstreamModel) {
    StreamedChoices.requireOne(request); // the canonical stream could not tell the choices apart
    ObjectNode body = OpenAiTree.object();
    body.put("model", upstreamModel);
    body.set("messages", messages(request));

    List<Tool> tools = request.tools();
    ToolChoice choice = request.toolChoice();
    if (choice instanceof ToolChoice.Required required && !required.allowed().isEmpty()) {
      // OpenAI cannot narrow "required" to some tools: send only those (§5.5).
      Set<String> allowed = Set.copyOf(required.allowed());
      tools = tools.stream().filter(tool -> allowed.contains(tool.name())).toList();
    }
    if (!tools.isEmpty()) {
      ArrayNode toolsJson = body.putArray("tools");
      tools.forEach(tool -> toolsJson.add(tool(tool)));
      if (choice != null) {
        switch (choice) {
          case ToolChoice.Auto auto -> body.put("tool_choice", "auto");
          case ToolChoice.None none -> body.put("tool_choice", "none");
          case ToolChoice.Required required -> body.put("tool_choice", "required");
          case ToolChoice.Specific specific -> {
            ObjectNode named = body.putObject("tool_choice").put("type", "function");
            named.putObject("function").put("name", specific.name());
          }
        }
      }
      if (Boolean.FALSE.equals(request.parallelToolCalls())) {
        body.put("parallel_tool_calls", false); // OpenAI refuses the flag without tools
      }
    }

    if (request.maxOutputTokens() != null) {
      body.put("max_tokens", request.maxOutputTokens());
    }
    putIfPresent(body, "temperature", request.temperature());
    putIfPresent(body, "top_p", request.topP());
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      request.stop().forEach(stop::add);
    }
    putIfPresent(body, "presence_penalty", request.presencePenalty());
    putIfPresent(body, "frequency_penalty", request.frequencyPenalty());
    if (request.seed() != null) {
      body.put("seed", request.seed());
    }
    if (request.n() != null) {
      body.put("n", request.n());
    }
    if (request.responseFormat() != null) {
      body.set("response_format", responseFormat(request.responseFormat()));
    }
    String effort = effort(request.reasoning());
    if (effort != null) {
      body.put("reasoning_effort", effort);
    }
    if (request.user() != null) {
      body.put("user", request.user());
    }
    if (request.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return OpenAiTree.bytes(body);
  }

  private static ArrayNode messages(ChatRequest request) {
    ArrayNode out = OpenAiTree.array();
    if (!request.system().isEmpty()) {
      List<String> texts = request.system().stream().map(ContentPart.Text::text).toList();
      out.addObject().put("role", "system").put("content", String.join("\n\n", texts));
    }
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      String path = "messages[" + i + "]";
      switch (message.role()) {
        case USER, TOOL -> userOrTool(message, path, out);
        case ASSISTANT -> assistant(message, path, out);
      }
    }
    return out;
  }

  /**
   * Tool results become one {@code tool} message each, before any other user content of the
   * same turn, which follows as a separate user message (§5.7).
   */
  private static void userOrTool(Message message, String path, ArrayNode out) {
    List<ContentPart> rest = new ArrayList<>();
    for (ContentPart part : message.parts()) {
      if (part instanceof ContentPart.ToolResult result) {
        out.add(toolMessage(result, path));
      } else if (!(part instanceof ContentPart.Thinking) && !(part instanceof ContentPart.ToolCall)) {
        rest.add(part);
      }
    }
    if (rest.isEmpty() && message.parts().stream().anyMatch(ContentPart.ToolResult.class::isInstance)) {
      return;
    }
    ObjectNode user = out.addObject().put("role", "user");
    if (rest.size() == 1 && rest.getFirst() instanceof ContentPart.Text text) {
      user.put("content", text.text());
      return;
    }
    if (rest.isEmpty()) {
      user.put("content", "");
      return;
    }
    ArrayNode content = user.putArray("content");
    for (ContentPart part : rest) {
      content.add(userPart(part));
    }
  }

  private static ObjectNode userPart(ContentPart part) {
    ObjectNode json = OpenAiTree.object();
    switch (part) {
      case ContentPart.Text text -> json.put("type", "text").put("text", text.text());
      case ContentPart.Image image -> json.put("type", "image_url").putObject("image_url")
          .put("url", image.isInline() ? DataUrl.of(image.mimeType(), image.data()) : image.url());
      case ContentPart.Audio audio -> json.put("type", "input_audio").putObject("input_audio")
          .put("data", audio.data()).put("format", audio.format());
      case ContentPart.File file -> {
        ObjectNode inner = json.put("type", "file").putObject("file");
        if (file.filename() != null) {
          inner.put("filename", file.filename());
        }
        inner.put("file_data", DataUrl.of(file.mimeType(), file.data()));
      }
      case ContentPart.ToolCall call -> throw new IllegalStateException("tool calls are filtered before");
      case ContentPart.ToolResult result -> throw new IllegalStateException("tool results are filtered before");
      case ContentPart.Thinking thinking -> throw new IllegalStateException("thinking is filtered before");
    }
    return json;
  }

  private static ObjectNode toolMessage(ContentPart.ToolResult result, String path) {
    List<String> texts = new ArrayList<>();
    for (ContentPart part : result.content()) {
      if (part instanceof ContentPart.Text text) {
        texts.add(text.text());
      } else {
        throw new GatewayError.Failure(GatewayError.invalid(path,
            "tool results for this model can hold only text; " + path + " holds " + kind(part)));
      }
    }
    String content = String.join("\n\n", texts);
    ObjectNode tool = OpenAiTree.object().put("role", "tool").put("tool_call_id", result.callId());
    // OpenAI has no error flag on tool messages: the model reads it from the text (§5.7).
    return tool.put("content", result.isError() ? "Error: " + content : content);
  }

  private static void assistant(Message message, String path, ArrayNode out) {
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    ArrayNode calls = OpenAiTree.array();
    for (ContentPart part : message.parts()) {
      switch (part) {
        case ContentPart.Text t -> {
          // Several text parts are pieces of one answer (Gemini splits them anywhere): no separator.
          text.append(t.text());
          hasText = true;
        }
        case ContentPart.ToolCall call -> {
          ObjectNode json = calls.addObject().put("id", call.id()).put("type", "function");
          String arguments = call.argumentsJson() == null || call.argumentsJson().isEmpty() ? "{}" : call.argumentsJson();
          json.putObject("function").put("name", call.name()).put("arguments", arguments);
        }
        case ContentPart.Thinking thinking -> {
          // Reasoning from history has no OpenAI input form; its signature is another vendor's.
        }
        default -> throw new GatewayError.Failure(GatewayError.invalid(path,
            "assistant turns for this model can hold only text and tool calls; " + path + " holds " + kind(part)));
      }
    }
    ObjectNode assistant = out.addObject().put("role", "assistant");
    if (hasText || calls.isEmpty()) {
      assistant.put("content", text.toString());
    } else {
      assistant.putNull("content");
    }
    if (!calls.isEmpty()) {
      assistant.set("tool_calls", calls);
    }
  }

  private static ObjectNode tool(Tool tool) {
    ObjectNode json = OpenAiTree.object().put("type", "function");
    ObjectNode function = json.putObject("function").put("name", tool.name());
    if (tool.description() != null) {
      function.put("description", tool.description());
    }
    if (tool.parameters() != null) {
      function.set("parameters", tool.parameters());
    }
    if (tool.strict() != null) {
      function.put("strict", tool.strict());
    }
    return json;
  }

  private static ObjectNode responseFormat(ResponseFormat format) {
    ObjectNode json = OpenAiTree.object();
    switch (format) {
      case ResponseFormat.Text text -> json.put("type", "text");
      case ResponseFormat.JsonObject object -> json.put("type", "json_object");
      case ResponseFormat.JsonSchema schema -> {
        ObjectNode inner = json.put("type", "json_schema").putObject("json_schema")
            .put("name", schema.name() == null ? "response" : schema.name());
        if (schema.schema() != null) {
          inner.set("schema", schema.schema());
        }
        if (schema.strict() != null) {
          inner.put("strict", schema.strict());
        }
      }
    }
    return json;
  }

  /**
   * An effort as given, or one derived from a budget (§5.11): ≤ 2048 low, ≤ 8192 medium, else
   * high; 0 (off) sends nothing, and a negative budget (Gemini's "dynamic") is medium.
   */
  static String effort(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    if (reasoning.effort() != null) {
      return reasoning.effort();
    }
    Integer budget = reasoning.budgetTokens();
    if (budget == null || budget == 0) {
      return null;
    }
    if (budget < 0) {
      return "medium";
    }
    return budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
  }

  private static void putIfPresent(ObjectNode body, String field, Double value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String kind(ContentPart part) {
    return switch (part) {
      case ContentPart.Text t -> "text";
      case ContentPart.Image i -> "an image";
      case ContentPart.Audio a -> "audio";
      case ContentPart.File f -> "a file";
      case ContentPart.ToolCall c -> "a tool call";
      case ContentPart.ToolResult r -> "a tool result";
      case ContentPart.Thinking t -> "thinking";
    };
  }
}

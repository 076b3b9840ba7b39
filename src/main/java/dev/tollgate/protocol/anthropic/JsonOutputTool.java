package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.ResponseFormat;
import java.io.IOException;

/**
 * A JSON schema answer from Anthropic, which has no response schema (protocols.md §5.10): the
 * request gets a synthetic tool whose input schema is the wanted schema and is forced to call it;
 * the call's input is the answer, told to the client as assistant text ending with STOP. The
 * request encoder and both answer decoders find the emulation through {@link #of}, so they agree
 * on it without any state between request and answer.
 *
 * <p>Anthropic tool inputs must be objects: a schema whose root is not an object is wrapped as
 * the {@code value} property of one, and unwrapped again on the way back.
 */
final class JsonOutputTool {

  static final String NAME = "json_output";
  static final String DESCRIPTION =
      "Give your final answer by calling this tool. Its input is the answer itself, in the required JSON format.";
  private static final String WRAPPER = "value";

  private final JsonNode schema;
  private final boolean wrapped;

  private JsonOutputTool(JsonNode schema, boolean wrapped) {
    this.schema = schema;
    this.wrapped = wrapped;
  }

  /** The emulation a request needs: present when it asks for a JSON schema answer, else null. */
  static JsonOutputTool of(ChatRequest request) {
    if (!(request.responseFormat() instanceof ResponseFormat.JsonSchema format)) {
      return null;
    }
    JsonNode schema = format.schema();
    if (schema == null || !schema.isObject()) {
      return new JsonOutputTool(AnthropicJson.object().put("type", "object"), false);
    }
    return new JsonOutputTool(schema, !"object".equals(AnthropicJson.text(schema, "type")));
  }

  /** The tool definition to add to the request's tools. */
  ObjectNode definition() {
    ObjectNode tool = AnthropicJson.object().put("name", NAME).put("description", DESCRIPTION);
    if (!wrapped) {
      tool.set("input_schema", schema);
      return tool;
    }
    ObjectNode input = tool.putObject("input_schema").put("type", "object");
    input.putObject("properties").set(WRAPPER, schema);
    input.putArray("required").add(WRAPPER);
    return tool;
  }

  /** Forces exactly one call of the tool: two calls would be two answers. */
  ObjectNode forcedChoice() {
    return AnthropicJson.object().put("type", "tool").put("name", NAME).put("disable_parallel_tool_use", true);
  }

  boolean isCall(String toolName) {
    return NAME.equals(toolName);
  }

  /** True when the answer must be read whole before it can be told: it sits inside the wrapper. */
  boolean wrapped() {
    return wrapped;
  }

  /** The answer text for a call's input. */
  String answer(JsonNode input) {
    if (input == null) {
      return "{}";
    }
    JsonNode value = wrapped && input.has(WRAPPER) ? input.get(WRAPPER) : input;
    return value.toString();
  }

  /** The answer text for a call's input as streamed JSON text; a cut-off input is told as it came. */
  String answer(String inputJson) {
    try {
      JsonNode input = AnthropicJson.MAPPER.readTree(inputJson);
      return input == null ? inputJson : answer(input);
    } catch (IOException e) {
      return inputJson;
    }
  }

  /** The answer's finish: the forced call is the answer, not a tool call the client must run. */
  static FinishReason finish(FinishReason upstream, boolean answered, boolean otherCalls) {
    return upstream == FinishReason.TOOL_CALLS && answered && !otherCalls ? FinishReason.STOP : upstream;
  }
}

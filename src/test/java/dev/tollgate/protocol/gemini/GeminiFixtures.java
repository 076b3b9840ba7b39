package dev.tollgate.protocol.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Golden JSON fixtures beside the tests, and the canonical model rendered as tagged JSON so that a
 * decoded request or answer can be compared with a readable file.
 */
final class GeminiFixtures {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private GeminiFixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = GeminiFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return tree(bytes(name));
  }

  static JsonNode tree(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compares as trees (key order and number spelling aside) and shows both sides on failure. */
  static void assertSameJson(JsonNode actual, String fixture) {
    JsonNode expected = json(fixture);
    JsonNode normalised = tree(pretty(actual));
    assertThat(pretty(normalised)).as("JSON compared with " + fixture).isEqualTo(pretty(expected));
  }

  static void assertSameJson(byte[] actual, String fixture) {
    assertSameJson(tree(actual), fixture);
  }

  static String pretty(JsonNode node) {
    try {
      return JSON.writeValueAsString(sorted(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      node.properties().stream().map(e -> e.getKey()).sorted().forEach(k -> out.set(k, sorted(node.get(k))));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    if (node.isNumber()) {
      // 1, 1.0 and 1.00 are the same number to every JSON reader that matters here.
      return node.isIntegralNumber() || node.decimalValue().stripTrailingZeros().scale() <= 0
          ? JSON.getNodeFactory().numberNode(node.decimalValue().toBigInteger())
          : JSON.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
    }
    return node;
  }

  static GatewayError failure(ThrowingCallable call) {
    try {
      call.call();
    } catch (GatewayError.Failure f) {
      return f.error();
    } catch (Throwable t) {
      throw new AssertionError("expected a GatewayError.Failure, got " + t, t);
    }
    throw new AssertionError("expected a GatewayError.Failure, nothing was thrown");
  }

  // --- canonical → tagged JSON ---

  static JsonNode canonical(ChatRequest request) {
    ObjectNode out = JSON.createObjectNode();
    out.put("model", request.model());
    out.put("stream", request.stream());
    ArrayNode system = out.putArray("system");
    request.system().forEach(t -> system.add(t.text()));
    ArrayNode messages = out.putArray("messages");
    for (Message m : request.messages()) {
      ObjectNode message = messages.addObject().put("role", m.role().name());
      message.set("parts", parts(m.parts()));
    }
    ArrayNode tools = out.putArray("tools");
    for (Tool t : request.tools()) {
      ObjectNode tool = tools.addObject().put("name", t.name()).put("description", t.description());
      tool.set("parameters", t.parameters());
      if (t.strict() != null) {
        tool.put("strict", t.strict());
      }
    }
    out.set("toolChoice", toolChoice(request.toolChoice()));
    putIfSet(out, "parallelToolCalls", request.parallelToolCalls());
    putIfSet(out, "maxOutputTokens", request.maxOutputTokens());
    putIfSet(out, "temperature", request.temperature());
    putIfSet(out, "topP", request.topP());
    putIfSet(out, "topK", request.topK());
    if (!request.stop().isEmpty()) {
      out.set("stop", JSON.valueToTree(request.stop()));
    }
    putIfSet(out, "presencePenalty", request.presencePenalty());
    putIfSet(out, "frequencyPenalty", request.frequencyPenalty());
    putIfSet(out, "seed", request.seed());
    putIfSet(out, "n", request.n());
    out.set("responseFormat", responseFormat(request.responseFormat()));
    out.set("reasoning", reasoning(request.reasoning()));
    putIfSet(out, "user", request.user());
    return out;
  }

  static JsonNode canonical(ChatResponse response) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", response.id());
    out.put("model", response.model());
    out.put("created", response.created());
    ArrayNode choices = out.putArray("choices");
    for (ChatResponse.Choice c : response.choices()) {
      ObjectNode choice = choices.addObject().put("index", c.index()).put("finishReason", c.finishReason().name());
      choice.set("parts", parts(c.parts()));
    }
    out.set("usage", usage(response.usage()));
    return out;
  }

  static JsonNode usage(TokenUsage usage) {
    return usage == null ? JSON.nullNode() : JSON.valueToTree(usage);
  }

  static ArrayNode parts(List<ContentPart> parts) {
    ArrayNode out = JSON.createArrayNode();
    for (ContentPart part : parts) {
      ObjectNode p = out.addObject();
      switch (part) {
        case ContentPart.Text t -> p.put("type", "text").put("text", t.text());
        case ContentPart.Image i -> p.put("type", "image").put("mimeType", i.mimeType()).put("data", i.data()).put("url", i.url());
        case ContentPart.Audio a -> p.put("type", "audio").put("format", a.format()).put("data", a.data());
        case ContentPart.File f -> p.put("type", "file").put("mimeType", f.mimeType()).put("data", f.data()).put("filename", f.filename());
        case ContentPart.ToolCall c -> {
          p.put("type", "toolCall").put("id", c.id()).put("name", c.name()).put("argumentsJson", c.argumentsJson());
          if (c.thoughtSignature() != null) {
            p.put("thoughtSignature", c.thoughtSignature());
          }
        }
        case ContentPart.ToolResult r -> {
          p.put("type", "toolResult").put("callId", r.callId()).put("name", r.name()).put("isError", r.isError());
          p.set("content", parts(r.content()));
        }
        case ContentPart.Thinking t -> p.put("type", "thinking").put("text", t.text()).put("signature", t.signature())
            .put("vendor", t.vendor()).put("redacted", t.redacted());
      }
    }
    return out;
  }

  private static JsonNode toolChoice(ToolChoice choice) {
    return switch (choice) {
      case null -> JSON.nullNode();
      case ToolChoice.Auto a -> JSON.createObjectNode().put("type", "auto");
      case ToolChoice.None n -> JSON.createObjectNode().put("type", "none");
      case ToolChoice.Required r -> {
        ObjectNode out = JSON.createObjectNode().put("type", "required");
        out.set("allowed", JSON.valueToTree(r.allowed()));
        yield out;
      }
      case ToolChoice.Specific s -> JSON.createObjectNode().put("type", "specific").put("name", s.name());
    };
  }

  private static JsonNode responseFormat(ResponseFormat format) {
    return switch (format) {
      case null -> JSON.nullNode();
      case ResponseFormat.Text t -> JSON.createObjectNode().put("type", "text");
      case ResponseFormat.JsonObject o -> JSON.createObjectNode().put("type", "json_object");
      case ResponseFormat.JsonSchema s -> {
        ObjectNode out = JSON.createObjectNode().put("type", "json_schema").put("name", s.name());
        out.set("schema", s.schema());
        if (s.strict() != null) {
          out.put("strict", s.strict());
        }
        yield out;
      }
    };
  }

  private static JsonNode reasoning(Reasoning reasoning) {
    return reasoning == null ? JSON.nullNode() : JSON.valueToTree(reasoning);
  }

  private static void putIfSet(ObjectNode out, String name, Object value) {
    if (value != null) {
      out.set(name, JSON.valueToTree(value));
    }
  }
}

package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.DeferredText;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.sse.SseEvent;
import java.nio.charset.StandardCharsets;

/**
 * Metering of relayed Anthropic answers. Usage comes from {@code message_start} (input, cache)
 * and {@code message_delta} (output, cumulative: the last value counts, never a sum).
 */
public final class AnthropicPassthrough implements Passthrough {

  @Override
  public WireProtocol protocol() {
    return WireProtocol.ANTHROPIC;
  }

  @Override
  public StreamWatch watchStream(boolean clientWantsUsage, TokenCounter counter) {
    return new Watch(counter);
  }

  @Override
  public AnswerFacts readAnswer(byte[] body) {
    JsonNode root = AnthropicJson.objectOrNull(new String(body, StandardCharsets.UTF_8));
    if (root == null) {
      return new AnswerFacts(false, null);
    }
    JsonNode usage = root.get("usage");
    return new AnswerFacts(true, usage == null || !usage.isObject() ? null : Usage.of(AnthropicUsage.toCanonical(usage)));
  }

  @Override
  public String answerText(byte[] body) {
    JsonNode root = AnthropicJson.objectOrNull(new String(body, StandardCharsets.UTF_8));
    StringBuilder text = new StringBuilder();
    if (root != null) {
      for (JsonNode block : root.path("content")) {
        text.append(block.path("text").asText("")).append(block.path("thinking").asText(""));
        if (block.has("input")) {
          text.append(block.get("input").toString());
        }
      }
    }
    return text.toString();
  }

  @Override
  public byte[] streamError(GatewayError error) {
    return ("event: error\ndata: " + new String(AnthropicErrors.body(error), StandardCharsets.UTF_8) + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Parses only the events that carry usage or end the answer; deltas are kept raw until needed. */
  private static final class Watch implements StreamWatch {
    private final DeferredText deltas;
    private JsonNode startUsage;
    private JsonNode lastDeltaUsage;
    private boolean stopped;
    private boolean errored;

    Watch(TokenCounter counter) {
      this.deltas = new DeferredText(Watch::deltaText, counter);
    }

    private static String deltaText(String data) {
      JsonNode delta = AnthropicJson.objectOrNull(data);
      if (delta == null) {
        return "";
      }
      JsonNode d = delta.path("delta");
      return d.path("text").asText("") + d.path("partial_json").asText("") + d.path("thinking").asText("");
    }

    @Override
    public boolean onEvent(SseEvent event) {
      String data = event.data();
      if (data == null) {
        return true;
      }
      String type = event.event() != null ? event.event() : typeOf(data);
      switch (type) {
        case "message_start" -> {
          JsonNode root = AnthropicJson.objectOrNull(data);
          startUsage = root == null ? null : root.path("message").get("usage");
        }
        case "message_delta" -> {
          JsonNode root = AnthropicJson.objectOrNull(data);
          if (root != null && root.get("usage") != null) {
            lastDeltaUsage = root.get("usage");
          }
        }
        case "content_block_delta" -> deltas.add(data);
        case "message_stop" -> stopped = true;
        case "error" -> errored = true;
        default -> { }
      }
      return true;
    }

    private static String typeOf(String data) {
      JsonNode root = JsonScan.hasMember(data, "\"type\"", '"') ? AnthropicJson.objectOrNull(data) : null;
      return root == null ? "" : root.path("type").asText("");
    }

    @Override
    public Usage reportedUsage() {
      if (startUsage == null && lastDeltaUsage == null) {
        return null;
      }
      // message_delta repeats input counts on newer streams; its values win where present.
      com.fasterxml.jackson.databind.node.ObjectNode merged = AnthropicJson.object();
      if (startUsage != null && startUsage.isObject()) {
        merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) startUsage);
      }
      if (lastDeltaUsage != null && lastDeltaUsage.isObject()) {
        lastDeltaUsage.properties().forEach(e -> {
          if (!e.getValue().isNull()) {
            merged.set(e.getKey(), e.getValue());
          }
        });
      }
      return Usage.of(AnthropicUsage.toCanonical(merged));
    }

    @Override
    public int estimatedCompletionTokens() {
      return deltas.tokens();
    }

    @Override
    public boolean complete() {
      return stopped;
    }

    @Override
    public boolean sawError() {
      return errored;
    }
  }
}

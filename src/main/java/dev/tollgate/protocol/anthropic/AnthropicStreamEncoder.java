package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.EventBuffer;
import dev.tollgate.protocol.EventTemplate;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Canonical events → the SSE stream an Anthropic SDK reads (protocols.md §5.14, "Anthropic
 * encoder"). Content blocks get dense indices from 0, strictly one after another: each is closed
 * before the next opens, and text after a tool call opens a new text block.
 *
 * <p>Tool calls: at most one tool_use block is live at a time. A call that starts while another
 * call's block is still open, or while calls are held, is held whole (id, name, argument text)
 * instead of opened; held calls are written as complete blocks (start, one input_json_delta,
 * stop) as soon as text or thinking follows, or at Finish. So upstreams that close each call
 * before the next (Anthropic and Gemini through the canonical model) stream arguments live, and
 * upstreams that announce several calls and interleave their arguments (some OpenAI-compatible
 * vendors, §6.31) still produce a valid stream, since a held call can take deltas in any order.
 * A delta for a call whose block was already closed cannot be expressed and is dropped.
 *
 * <p>After Finish or Error nothing more is written. Mutable: one instance per client stream.
 */
final class AnthropicStreamEncoder implements ChatCodec.StreamEncoder {

  private enum Block { NONE, TEXT, THINKING, TOOL }

  private static final byte[] NOTHING = new byte[0];

  private record HeldCall(String id, String name, StringBuilder arguments) {}

  private final String clientModel;
  private final Map<Integer, HeldCall> held = new LinkedHashMap<>();
  private final EventBuffer out = new EventBuffer();
  /** The content_block_delta of the last type and block written: the same for a whole block. */
  private EventTemplate deltaEvent;
  private String deltaEventType;
  private int deltaEventIndex;
  private boolean started;
  private boolean ended;
  private boolean sawToolCall;
  private int nextIndex;
  private Block open = Block.NONE;
  private int openIndex;
  private int openCall = -1;
  private TokenUsage inputUsage;

  AnthropicStreamEncoder(ChatRequest request) {
    this.clientModel = request == null ? null : request.model();
  }

  @Override
  public String contentType() {
    return "text/event-stream";
  }

  @Override
  public byte[] encode(StreamEvent event) {
    if (ended) {
      return NOTHING;
    }
    out.reset();
    switch (event) {
      case StreamEvent.Start start -> start(start.id(), start.model(), start.inputUsage());
      case StreamEvent.TextDelta delta -> text(delta.text());
      case StreamEvent.ThinkingDelta delta -> thinking(delta.text(), delta.signature(), delta.vendor());
      case StreamEvent.ToolCallStart call -> toolCallStart(call.callIndex(), call.id(), call.name());
      case StreamEvent.ToolArgsDelta delta -> toolArgs(delta.callIndex(), delta.json());
      case StreamEvent.BlockStop stop -> closeOpenBlock();
      case StreamEvent.Finish finish -> finish(finish);
      case StreamEvent.Error error -> error(error.error());
    }
    return out.size() == 0 ? NOTHING : out.toByteArray();
  }

  private void start(String id, String model, TokenUsage usage) {
    if (started) {
      return;
    }
    started = true;
    inputUsage = usage;
    ObjectNode data = AnthropicJson.object().put("type", "message_start");
    ObjectNode message = data.putObject("message");
    message.put("id", AnthropicResponseEncoder.messageId(id));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", clientModel != null ? clientModel : model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    TokenUsage u = usage == null ? TokenUsage.ZERO : usage;
    ObjectNode usageNode = message.putObject("usage");
    usageNode.put("input_tokens", AnthropicUsage.uncachedInput(u));
    usageNode.put("output_tokens", 0);
    usageNode.put("cache_creation_input_tokens", u.cacheWrite());
    usageNode.put("cache_read_input_tokens", u.cacheRead());
    write("message_start", data);
  }

  private void text(String text) {
    start(null, null, null);
    if (open != Block.TEXT) {
      closeOpenBlock();
      writeHeldCalls();
      openBlock(Block.TEXT, AnthropicJson.object().put("type", "text").put("text", ""));
    }
    if (text != null && !text.isEmpty()) {
      delta("text_delta", "text", text);
    }
  }

  /**
   * A signature closes its thinking block on Anthropic's wire. Signatures reaching this encoder
   * come from another vendor (an Anthropic client on an Anthropic channel is relayed as is), so
   * they carry the gateway prefix naming it: sent back, they go to that vendor, never to Anthropic.
   */
  private void thinking(String text, String signature, String vendor) {
    start(null, null, null);
    if (open != Block.THINKING) {
      closeOpenBlock();
      writeHeldCalls();
      openBlock(Block.THINKING, AnthropicJson.object().put("type", "thinking").put("thinking", ""));
    }
    if (text != null && !text.isEmpty()) {
      delta("thinking_delta", "thinking", text);
    }
    if (signature != null && !signature.isEmpty()) {
      delta("signature_delta", "signature", ThinkingSignature.forClient(vendor, signature));
    }
  }

  private void toolCallStart(int callIndex, String id, String name) {
    start(null, null, null);
    sawToolCall = true;
    if (open == Block.TOOL || !held.isEmpty()) {
      held.putIfAbsent(callIndex, new HeldCall(id, name, new StringBuilder()));
      return;
    }
    closeOpenBlock();
    openCall = callIndex;
    openBlock(Block.TOOL, toolUse(id, name));
  }

  private void toolArgs(int callIndex, String json) {
    if (json == null || json.isEmpty()) {
      return;
    }
    if (open == Block.TOOL && openCall == callIndex) {
      delta("input_json_delta", "partial_json", json);
      return;
    }
    HeldCall call = held.get(callIndex);
    if (call != null) {
      call.arguments().append(json);
    }
  }

  private void finish(StreamEvent.Finish finish) {
    start(null, null, null);
    closeOpenBlock();
    writeHeldCalls();
    ObjectNode data = AnthropicJson.object().put("type", "message_delta");
    data.putObject("delta")
        .put("stop_reason", AnthropicStopReason.toWire(finish.reason(), sawToolCall))
        .putNull("stop_sequence");
    TokenUsage usage = finish.usage() != null ? finish.usage() : inputUsage;
    AnthropicUsage.write(usage, data.putObject("usage"));
    write("message_delta", data);
    write("message_stop", AnthropicJson.object().put("type", "message_stop"));
    ended = true;
  }

  private void error(GatewayError error) {
    write("error", AnthropicErrors.tree(error));
    ended = true;
  }

  // --- blocks --------------------------------------------------------------------------------

  private static ObjectNode toolUse(String id, String name) {
    ObjectNode block = AnthropicJson.object().put("type", "tool_use").put("id", id).put("name", name);
    block.putObject("input");
    return block;
  }

  private void openBlock(Block kind, ObjectNode contentBlock) {
    open = kind;
    openIndex = nextIndex++;
    ObjectNode data = AnthropicJson.object().put("type", "content_block_start").put("index", openIndex);
    data.set("content_block", contentBlock);
    write("content_block_start", data);
  }

  private static final byte[] DELTA_EVENT = "event: content_block_delta\ndata: ".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] BLANK_LINE = {'\n', '\n'};

  /** The event of nearly every stream chunk, written around a template: no tree, no generator. */
  private void delta(String type, String field, String value) {
    if (deltaEvent == null || deltaEventIndex != openIndex || !deltaEventType.equals(type)) {
      int index = openIndex;
      deltaEvent = EventTemplate.of(AnthropicJson.MAPPER.getFactory(), DELTA_EVENT, (json, text) -> {
        json.writeStartObject();
        json.writeStringField("type", "content_block_delta");
        json.writeNumberField("index", index);
        json.writeObjectFieldStart("delta");
        json.writeStringField("type", type);
        json.writeFieldName(field);
        text.write();
        json.writeEndObject();
        json.writeEndObject();
      }, BLANK_LINE);
      deltaEventType = type;
      deltaEventIndex = index;
    }
    deltaEvent.write(out, value);
  }

  private void closeOpenBlock() {
    if (open == Block.NONE) {
      return;
    }
    write("content_block_stop", AnthropicJson.object().put("type", "content_block_stop").put("index", openIndex));
    open = Block.NONE;
    openCall = -1;
  }

  private void writeHeldCalls() {
    for (HeldCall call : held.values()) {
      openBlock(Block.TOOL, toolUse(call.id(), call.name()));
      if (!call.arguments().isEmpty()) {
        delta("input_json_delta", "partial_json", call.arguments().toString());
      }
      closeOpenBlock();
    }
    held.clear();
  }

  private void write(String name, ObjectNode data) {
    out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(AnthropicJson.bytes(data));
    out.write('\n');
    out.write('\n');
  }
}

package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.EventJsonParser;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseFields;
import dev.tollgate.sse.SseReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An Anthropic upstream's SSE stream → canonical events (protocols.md §3.4, §5.14). State of one
 * stream: which block index holds which tool call, the stop reason and the latest usage.
 * {@code output_tokens} is cumulative, so the last value wins (§6.15). Unknown events and delta
 * types are ignored; after {@code message_stop} or an error nothing more is emitted.
 *
 * <p>When the request asked for a JSON schema answer ({@link JsonOutputTool}), the forced call's
 * input arrives as text deltas and announces no tool call; a wrapped answer is held back until
 * its block ends, as only the whole input can be unwrapped.
 */
final class AnthropicStreamDecoder implements ChatCodec.StreamDecoder {

  /** One event's bound: tool inputs arrive in small deltas, so only a broken upstream hits it. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final SseReader reader = SseReader.withoutRaw(this::onEvent, MAX_EVENT_BYTES);
  private final EventJsonParser parser = new EventJsonParser(AnthropicJson.MAPPER.getFactory());
  private final AnthropicBlockDelta delta = new AnthropicBlockDelta();
  /** Block index → tool call index, for tool_use blocks. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  /** Block indices of text, thinking and tool_use blocks: only those report a BlockStop. */
  private final Map<Integer, String> surfaced = new HashMap<>();
  /** The structured-output emulation of the request, or null. */
  private final JsonOutputTool jsonOutput;
  /** Block index of the forced json_output call, or -1. */
  private int answerBlock = -1;
  private boolean answered;
  /** A wrapped answer's input so far. */
  private final StringBuilder heldAnswer = new StringBuilder();

  private Consumer<StreamEvent> out;
  private int nextCallIndex;
  private String stopReason;
  private long input;
  private long cacheWrite;
  private long cacheRead;
  private long output;
  private boolean done;

  AnthropicStreamDecoder(JsonOutputTool jsonOutput) {
    this.jsonOutput = jsonOutput;
  }

  @Override
  public void feed(byte[] chunk, Consumer<StreamEvent> out) {
    if (done) {
      return;
    }
    this.out = out;
    try {
      reader.feed(chunk);
    } catch (SseReader.EventTooLargeException e) {
      fail(out, "the upstream sent a stream event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    if (done) {
      parser.close();
    }
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    if (!done) {
      this.out = out;
      try {
        reader.finish();
      } finally {
        parser.close();
      }
    }
    if (!done) {
      fail(out, "the upstream stream ended before message_stop");
    }
  }

  private void fail(Consumer<StreamEvent> out, String message) {
    done = true;
    out.accept(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message)));
  }

  private void onEvent(SseFields event) {
    if (done || !event.hasData()) {
      return;
    }
    if (event.eventIs("content_block_delta") && event.dataIsUtf8() && fastDelta(event.dataBytes(), event.dataLength())) {
      return; // the bulk of every stream: read from the bytes, no String, no tree
    }
    String json = event.data();
    String name = event.event();
    if ("content_block_delta".equals(name) && fastDelta(json)) {
      return;
    }
    JsonNode data;
    try {
      data = AnthropicJson.MAPPER.readTree(json);
    } catch (IOException e) {
      fail(out, "the upstream sent a stream event that is not valid JSON");
      return;
    }
    if (data == null || !data.isObject()) {
      fail(out, "the upstream sent a stream event that is not a JSON object");
      return;
    }
    String type = AnthropicJson.text(data, "type");
    if (type == null) {
      type = name;
    }
    switch (type == null ? "" : type) {
      case "message_start" -> messageStart(data.get("message"));
      case "content_block_start" -> blockStart(data.path("index").asInt(-1), data.get("content_block"));
      case "content_block_delta" -> blockDelta(delta.from(data.path("index").asInt(-1), data.get("delta")));
      case "content_block_stop" -> {
        int index = data.path("index").asInt(-1);
        if (isAnswerBlock(index)) {
          answerBlock = -1; // told once, even if a broken upstream stops the block twice
          if (jsonOutput.wrapped()) {
            emitIfPresent(jsonOutput.answer(heldAnswer.toString()), StreamEvent.TextDelta::new);
          }
        }
        if (surfaced.remove(index) != null) {
          out.accept(new StreamEvent.BlockStop());
        }
      }
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> {
        done = true;
        FinishReason reason = JsonOutputTool.finish(AnthropicStopReason.toCanonical(stopReason), answered, nextCallIndex > 0);
        out.accept(new StreamEvent.Finish(reason, usage()));
      }
      case "error" -> {
        done = true;
        out.accept(new StreamEvent.Error(AnthropicErrors.fromUpstream(data)));
      }
      default -> {
        // ping and event types newer than this codec carry nothing to convert
      }
    }
  }

  private void messageStart(JsonNode message) {
    JsonNode usage = message == null ? null : message.get("usage");
    readUsage(usage);
    TokenUsage inputUsage = usage == null ? null : new TokenUsage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, 0, 0);
    out.accept(new StreamEvent.Start(AnthropicJson.text(message, "id"), AnthropicJson.text(message, "model"), inputUsage));
  }

  private void blockStart(int index, JsonNode block) {
    String type = AnthropicJson.text(block, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "text" -> {
        surfaced.put(index, type);
        String text = AnthropicJson.text(block, "text");
        if (text != null && !text.isEmpty()) {
          out.accept(new StreamEvent.TextDelta(text));
        }
      }
      case "thinking" -> {
        surfaced.put(index, type);
        String thinking = AnthropicJson.text(block, "thinking");
        if (thinking != null && !thinking.isEmpty()) {
          out.accept(new StreamEvent.ThinkingDelta(thinking, null, ThinkingSignature.ANTHROPIC));
        }
      }
      case "tool_use" -> {
        surfaced.put(index, type);
        if (jsonOutput != null && jsonOutput.isCall(AnthropicJson.text(block, "name"))) {
          answerBlock = index;
          answered = true;
          JsonNode input = block.get("input");
          if (input != null && input.isObject() && !input.isEmpty()) {
            answerFragment(input.toString());
          }
          return;
        }
        int call = nextCallIndex++;
        toolCalls.put(index, call);
        out.accept(new StreamEvent.ToolCallStart(call, AnthropicJson.text(block, "id"), AnthropicJson.text(block, "name")));
        JsonNode input = block.get("input");
        if (input != null && input.isObject() && !input.isEmpty()) {
          out.accept(new StreamEvent.ToolArgsDelta(call, input.toString()));
        }
      }
      default -> {
        // redacted_thinking and server-tool blocks: no canonical stream event expresses them
      }
    }
  }

  /**
   * Reads a {@code content_block_delta} with a streaming parser. Returns false when the event is
   * not the plain shape expected (not JSON, another type): the tree path then handles it.
   */
  private boolean fastDelta(byte[] json, int length) {
    boolean read;
    try {
      read = delta.read(parser.next(json, length));
    } catch (IOException e) {
      read = false;
    }
    if (!parser.end(read)) {
      return false;
    }
    blockDelta(delta);
    return true;
  }

  /** The same from a String: data that is not well-formed UTF-8, decoded as it always was. */
  private boolean fastDelta(String json) {
    try (JsonParser parser = AnthropicJson.MAPPER.getFactory().createParser(json)) {
      if (!delta.read(parser)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    blockDelta(delta);
    return true;
  }

  private void blockDelta(AnthropicBlockDelta delta) {
    int index = delta.index;
    if (delta.type == null) {
      return;
    }
    switch (delta.type) {
      case "text_delta" -> emitIfPresent(delta.text, t -> new StreamEvent.TextDelta(t));
      case "thinking_delta" -> emitIfPresent(delta.thinking, t -> new StreamEvent.ThinkingDelta(t, null, ThinkingSignature.ANTHROPIC));
      case "signature_delta" -> emitIfPresent(delta.signature, s -> new StreamEvent.ThinkingDelta(null, s, ThinkingSignature.ANTHROPIC));
      case "input_json_delta" -> {
        if (isAnswerBlock(index)) {
          if (delta.partialJson != null) {
            answerFragment(delta.partialJson);
          }
          return;
        }
        Integer call = toolCalls.get(index);
        if (call != null && delta.partialJson != null && !delta.partialJson.isEmpty()) {
          out.accept(new StreamEvent.ToolArgsDelta(call, delta.partialJson));
        }
      }
      default -> {
        // citations_delta and newer delta types
      }
    }
  }

  private boolean isAnswerBlock(int index) {
    return answerBlock >= 0 && index == answerBlock;
  }

  private void answerFragment(String json) {
    if (jsonOutput.wrapped()) {
      heldAnswer.append(json);
    } else {
      emitIfPresent(json, StreamEvent.TextDelta::new);
    }
  }

  private void emitIfPresent(String value, java.util.function.Function<String, StreamEvent> event) {
    if (value != null && !value.isEmpty()) {
      out.accept(event.apply(value));
    }
  }

  private void messageDelta(JsonNode data) {
    String reason = AnthropicJson.text(data.get("delta"), "stop_reason");
    if (reason != null) {
      stopReason = reason;
    }
    readUsage(data.get("usage"));
  }

  /** Newer streams repeat cumulative input and cache counts in message_delta: latest value wins. */
  private void readUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return;
    }
    if (usage.hasNonNull("input_tokens")) {
      input = AnthropicJson.count(usage, "input_tokens");
    }
    if (usage.hasNonNull("cache_creation_input_tokens")) {
      cacheWrite = AnthropicJson.count(usage, "cache_creation_input_tokens");
    }
    if (usage.hasNonNull("cache_read_input_tokens")) {
      cacheRead = AnthropicJson.count(usage, "cache_read_input_tokens");
    }
    if (usage.hasNonNull("output_tokens")) {
      output = AnthropicJson.count(usage, "output_tokens");
    }
  }

  private TokenUsage usage() {
    return new TokenUsage(input + cacheWrite + cacheRead, cacheRead, cacheWrite, output, 0);
  }
}

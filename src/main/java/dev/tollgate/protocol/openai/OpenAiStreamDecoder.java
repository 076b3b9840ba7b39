package dev.tollgate.protocol.openai;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An OpenAI(-compatible) upstream stream → canonical events (protocols.md §5.14). One per stream;
 * not thread-safe.
 *
 * <ul>
 *   <li>Only choice 0 is converted: canonical stream events carry no choice index, which is why
 *       encoders refuse streamed requests for several choices ({@link
 *       dev.tollgate.protocol.StreamedChoices}).
 *   <li>Tool calls are keyed by {@code index}, never by id (§6.32): a new index starts a call,
 *       numbered densely from 0 in order of appearance; a repeated id is ignored; a call whose
 *       first fragment has no id gets a synthesised one (the event cannot wait for it).
 *   <li>{@code finish_reason} and usage are remembered; {@code [DONE]} (trailing spaces allowed),
 *       or EOF after a finish reason, ends the answer with {@link StreamEvent.Finish}. EOF
 *       without a finish reason is a cut stream: {@link StreamEvent.Error}, never a fake finish
 *       (§6.13, §6.21).
 *   <li>{@code delta.reasoning_content} (or {@code delta.reasoning}) → ThinkingDelta;
 *       {@code delta.refusal} → TextDelta.
 * </ul>
 */
final class OpenAiStreamDecoder implements ChatCodec.StreamDecoder {

  /** Far above any real chunk; a bound so that a broken upstream cannot grow the buffer forever. */
  static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

  private final SseReader reader = SseReader.withoutRaw(this::onEvent, MAX_EVENT_BYTES);
  private final Map<Integer, Integer> callIndexByUpstreamIndex = new HashMap<>();
  private final List<String> callIds = new ArrayList<>();
  private final OpenAiCommonChunk common = new OpenAiCommonChunk();
  private final EventJsonParser parser = new EventJsonParser(OpenAiJson.FACTORY);
  /** The sink of the feed or finish under way: events are converted as the reader finds them. */
  private Consumer<StreamEvent> out;
  private int lastUpstreamIndex;
  private boolean started;
  private boolean ended;
  private String finishReason;
  private boolean sawFinish;
  private TokenUsage usage;

  @Override
  public void feed(byte[] chunk, Consumer<StreamEvent> out) {
    if (ended) {
      return;
    }
    this.out = out;
    try {
      reader.feed(chunk);
    } catch (SseReader.EventTooLargeException e) {
      fail(out, "the upstream sent a stream event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    if (ended) {
      parser.close();
    }
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    if (ended) {
      return;
    }
    this.out = out;
    try {
      reader.finish();
    } catch (SseReader.EventTooLargeException e) {
      fail(out, "the upstream sent a stream event larger than " + MAX_EVENT_BYTES + " bytes");
      return;
    } finally {
      parser.close();
    }
    if (ended) {
      return;
    }
    if (sawFinish) {
      end(out);
    } else {
      fail(out, "the upstream stream ended before the answer was complete");
    }
  }

  private void onEvent(SseFields event) {
    if (ended || !event.hasData()) {
      return; // comments and keepalives
    }
    byte[] data = event.dataBytes();
    int length = event.dataLength();
    if (OpenAiCommonChunk.mayBeCommon(data, length) && event.dataIsUtf8() && commonChunk(data, length)) {
      return; // the bulk of every stream: read from the bytes, no String, no tree
    }
    event(event.data(), out);
  }

  private void event(String data, Consumer<StreamEvent> out) {
    String trimmed = data.strip();
    if (trimmed.isEmpty()) {
      return;
    }
    if (trimmed.equals("[DONE]")) {
      end(out);
      return;
    }
    if (OpenAiCommonChunk.mayBeCommon(trimmed) && commonChunk(trimmed)) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = OpenAiTree.parse(trimmed);
    } catch (IOException e) {
      fail(out, "the upstream sent a malformed stream chunk");
      return;
    }
    if (!chunk.isObject()) {
      fail(out, "the upstream sent a malformed stream chunk");
      return;
    }
    JsonNode error = OpenAiTree.field(chunk, "error");
    if (error != null) {
      ended = true;
      out.accept(new StreamEvent.Error(upstreamError(error)));
      return;
    }
    if (!started) {
      started = true;
      out.accept(new StreamEvent.Start(OpenAiTree.text(chunk, "id"), OpenAiTree.text(chunk, "model"), null));
    }
    JsonNode choices = chunk.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        JsonNode index = choice.get("index");
        if (index == null || index.isNull() || index.asInt(-1) == 0) {
          choice(choice, out);
        }
      }
    }
    TokenUsage chunkUsage = OpenAiTokenUsage.decode(chunk.get("usage"));
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
  }

  /**
   * Reads a chunk of the common shape ({@link OpenAiCommonChunk}) with a streaming parser, with the
   * tree path's meaning. Returns false, having emitted nothing, for any other shape.
   */
  private boolean commonChunk(byte[] json, int length) {
    boolean read;
    try {
      read = common.read(parser.next(json, length), !started);
    } catch (IOException e) {
      read = false;
    }
    if (!parser.end(read)) {
      return false;
    }
    emitCommon();
    return true;
  }

  /** The same from a String: data that is not well-formed UTF-8, decoded as it always was. */
  private boolean commonChunk(String json) {
    try (JsonParser parser = OpenAiJson.FACTORY.createParser(json)) {
      if (!common.read(parser, !started)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    emitCommon();
    return true;
  }

  private void emitCommon() {
    if (!started) {
      started = true;
      out.accept(new StreamEvent.Start(common.id, common.model, null));
    }
    emitText(common.content, out);
    if (common.hasCall) {
      toolCall(common.callIndex, common.callId, common.callName, common.callArguments, out);
    }
    if (common.finish != null) {
      finishReason = common.finish;
      sawFinish = true;
    }
  }

  private void choice(JsonNode choice, Consumer<StreamEvent> out) {
    JsonNode delta = choice.get("delta");
    if (delta != null && delta.isObject()) {
      String reasoning = OpenAiTree.text(delta, "reasoning_content");
      if (reasoning == null) {
        reasoning = OpenAiTree.text(delta, "reasoning");
      }
      if (reasoning != null && !reasoning.isEmpty()) {
        out.accept(new StreamEvent.ThinkingDelta(reasoning, null, null));
      }
      emitText(OpenAiTree.text(delta, "content"), out);
      emitText(OpenAiTree.text(delta, "refusal"), out);
      JsonNode calls = delta.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          toolCall(call, out);
        }
      }
    }
    String reason = OpenAiTree.text(choice, "finish_reason");
    if (reason != null) {
      finishReason = reason;
      sawFinish = true;
    }
  }

  private static void emitText(String text, Consumer<StreamEvent> out) {
    if (text != null && !text.isEmpty()) {
      out.accept(new StreamEvent.TextDelta(text));
    }
  }

  private void toolCall(JsonNode call, Consumer<StreamEvent> out) {
    JsonNode indexNode = call.get("index");
    JsonNode function = call.get("function");
    String id = OpenAiTree.text(call, "id");
    int upstreamIndex;
    if (indexNode != null && indexNode.canConvertToInt()) {
      upstreamIndex = indexNode.intValue();
    } else {
      // No index (a few vendors): a fragment with a new id is a new call, else it continues the last.
      boolean newCall = callIndexByUpstreamIndex.isEmpty() || (id != null && !id.isEmpty() && !callIds.contains(id));
      upstreamIndex = newCall ? -1 - callIndexByUpstreamIndex.size() : lastUpstreamIndex;
    }
    toolCall(upstreamIndex, id, OpenAiTree.text(function, "name"), OpenAiTree.text(function, "arguments"), out);
  }

  /** One fragment of a call: its first starts the call, every one may carry arguments. */
  private void toolCall(int upstreamIndex, String id, String name, String arguments, Consumer<StreamEvent> out) {
    Integer callIndex = callIndexByUpstreamIndex.get(upstreamIndex);
    if (callIndex == null) {
      callIndex = callIndexByUpstreamIndex.size();
      callIndexByUpstreamIndex.put(upstreamIndex, callIndex);
      String callId = id == null || id.isEmpty() ? OpenAiIds.callId() : id;
      callIds.add(callId);
      out.accept(new StreamEvent.ToolCallStart(callIndex, callId, name == null ? "" : name));
    }
    lastUpstreamIndex = upstreamIndex;
    if (arguments != null && !arguments.isEmpty()) {
      out.accept(new StreamEvent.ToolArgsDelta(callIndex, arguments));
    }
  }

  private void end(Consumer<StreamEvent> out) {
    if (!started) {
      started = true;
      out.accept(new StreamEvent.Start(null, null, null));
    }
    ended = true;
    FinishReason reason = OpenAiFinishReasons.decode(finishReason, !callIndexByUpstreamIndex.isEmpty());
    out.accept(new StreamEvent.Finish(reason, usage));
  }

  private void fail(Consumer<StreamEvent> out, String message) {
    ended = true;
    out.accept(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message)));
  }

  /** An upstream {@code error} object → an UPSTREAM_ERROR keeping the upstream's message. */
  static GatewayError upstreamError(JsonNode error) {
    String message = error.isTextual() ? error.textValue() : OpenAiTree.text(error, "message");
    return GatewayError.of(ErrorCode.UPSTREAM_ERROR,
        message == null || message.isBlank() ? "the upstream reported an error" : "upstream error: " + message);
  }
}

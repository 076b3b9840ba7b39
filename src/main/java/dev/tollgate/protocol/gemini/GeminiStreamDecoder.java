package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.EventJsonParser;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseFields;
import dev.tollgate.sse.SseReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One upstream {@code streamGenerateContent?alt=sse} stream → canonical events. Each SSE event is
 * a whole {@code GenerateContentResponse} carrying only new text; function calls arrive whole.
 * The hub's stream has one choice, so only candidate 0 is followed (streamed requests for several
 * are refused: {@link dev.tollgate.protocol.StreamedChoices}).
 *
 * <p>State that changes per chunk lives here: whether the answer started, calls counted, the
 * finish reason and the latest usage (Gemini repeats running totals, it never sends increments).
 */
final class GeminiStreamDecoder implements ChatCodec.StreamDecoder {

  /** Inline images can ride in one event; beyond this the stream is garbage. */
  static final int MAX_EVENT_BYTES = 64 * 1024 * 1024;

  private final SseReader reader = SseReader.withoutRaw(this::onEvent, MAX_EVENT_BYTES);
  private final GeminiTextChunk text = new GeminiTextChunk();
  private final EventJsonParser parser = new EventJsonParser(GeminiJson.MAPPER.getFactory());
  /** The sink of the feed or finish under way: events are converted as the reader finds them. */
  private Consumer<StreamEvent> out;

  private boolean started;
  private boolean done;
  private String responseId;
  private int callCount;
  private boolean sawCall;
  private String finishReason;
  private boolean blocked;
  private TokenUsage usage;

  @Override
  public void feed(byte[] chunk, Consumer<StreamEvent> out) {
    if (done) {
      return;
    }
    this.out = out;
    try {
      reader.feed(chunk);
    } catch (SseReader.EventTooLargeException e) {
      fail(out, "the upstream sent an event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    if (done) {
      parser.close();
    }
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    if (done) {
      return;
    }
    this.out = out;
    try {
      reader.finish();
    } finally {
      parser.close();
    }
    if (done) {
      return;
    }
    if (finishReason == null && !blocked) {
      // No finish reason: the connection closed mid-answer. Never pass that off as complete (§6.13).
      fail(out, "the upstream stream ended before the answer was complete");
      return;
    }
    done = true;
    FinishReason reason = blocked && finishReason == null
        ? FinishReason.CONTENT_FILTER
        : GeminiVocabulary.finishReason(finishReason, sawCall);
    out.accept(new StreamEvent.Finish(reason, usage));
  }

  private void onEvent(SseFields event) {
    if (done || !event.hasData()) {
      return;
    }
    byte[] data = event.dataBytes();
    int length = event.dataLength();
    if (event.dataIsUtf8() && textChunk(data, length)) {
      return; // the bulk of every stream: read from the bytes, no String, no tree
    }
    String json = event.data();
    if (!json.isBlank()) {
      chunk(json, out);
    }
  }

  private void chunk(String data, Consumer<StreamEvent> out) {
    if (textChunk(data)) {
      return;
    }
    JsonNode root = GeminiJson.readOrNull(data);
    if (root == null || !root.isObject()) {
      fail(out, "the upstream sent a stream chunk that is not a JSON object");
      return;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      fail(out, "the upstream failed mid-answer: " + error.path("message").asText("no message"));
      return;
    }
    if (!started) {
      started = true;
      responseId = text(root, "responseId");
      TokenUsage first = GeminiUsage.decode(GeminiFields.get(root, "usageMetadata"));
      TokenUsage input = first == null ? null : new TokenUsage(first.inputTotal(), first.cacheRead(), 0, 0, 0);
      out.accept(new StreamEvent.Start(responseId, text(root, "modelVersion"), input));
    }
    TokenUsage latest = GeminiUsage.decode(GeminiFields.get(root, "usageMetadata"));
    if (latest != null) {
      usage = latest;
    }
    JsonNode feedback = GeminiFields.get(root, "promptFeedback");
    if (feedback != null && GeminiFields.get(feedback, "blockReason") != null) {
      blocked = true;
    }
    JsonNode candidates = GeminiFields.get(root, "candidates");
    if (candidates == null || !candidates.isArray()) {
      return;
    }
    for (JsonNode candidate : candidates) {
      JsonNode index = GeminiFields.get(candidate, "index");
      if (index != null && index.asInt(0) != 0) {
        continue;
      }
      JsonNode content = GeminiFields.get(candidate, "content");
      JsonNode parts = content == null ? null : GeminiFields.get(content, "parts");
      if (parts != null && parts.isArray()) {
        for (JsonNode part : parts) {
          part(part, out);
        }
      }
      String reason = text(candidate, "finishReason");
      if (reason != null) {
        finishReason = reason;
      }
      break;
    }
  }

  /**
   * Reads a plain text chunk ({@link GeminiTextChunk}) with a streaming parser, with the tree
   * path's meaning: Start on the first chunk (with its input usage), the latest usage, candidate
   * 0's text parts and finish reason. Returns false, having changed nothing, for any other shape.
   */
  private boolean textChunk(byte[] json, int length) {
    boolean read;
    try {
      read = text.read(parser.next(json, length), !started);
    } catch (IOException e) {
      read = false;
    }
    if (!parser.end(read)) {
      return false;
    }
    emitText();
    return true;
  }

  /** Whose thinking signatures these are (ContentPart.Thinking's vendor). */
  private static final String VENDOR = "gemini";

  /** The same from a String: data that is not well-formed UTF-8, decoded as it always was. */
  private boolean textChunk(String json) {
    try (JsonParser parser = GeminiJson.MAPPER.getFactory().createParser(json)) {
      if (!text.read(parser, !started)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    emitText();
    return true;
  }

  private void emitText() {
    if (!started) {
      started = true;
      responseId = text.id;
      TokenUsage input = text.usage == null ? null : new TokenUsage(text.usage.inputTotal(), text.usage.cacheRead(), 0, 0, 0);
      out.accept(new StreamEvent.Start(text.id, text.model, input));
    }
    if (text.usage != null) {
      usage = text.usage;
    }
    for (String piece : text.texts) {
      out.accept(new StreamEvent.TextDelta(piece));
    }
    if (text.reason != null) {
      finishReason = text.reason;
    }
  }

  private void part(JsonNode part, Consumer<StreamEvent> out) {
    List<ContentPart> decoded = new ArrayList<>(2);
    ContentPart.ToolCall call = GeminiResponseDecoder.part(part, responseId, callCount, decoded);
    for (ContentPart p : decoded) {
      switch (p) {
        case ContentPart.Text text -> out.accept(new StreamEvent.TextDelta(text.text()));
        case ContentPart.Thinking thinking -> {
          if (!thinking.text().isEmpty()) {
            out.accept(new StreamEvent.ThinkingDelta(thinking.text(), null, VENDOR));
          }
          if (thinking.signature() != null) {
            out.accept(new StreamEvent.ThinkingDelta(null, thinking.signature(), VENDOR));
          }
        }
        case ContentPart.ToolCall c -> {
          out.accept(new StreamEvent.ToolCallStart(callCount, c.id(), c.name(), c.thoughtSignature()));
          out.accept(new StreamEvent.ToolArgsDelta(callCount, c.argumentsJson()));
          out.accept(new StreamEvent.BlockStop());
        }
        default -> {
          // Streamed images and audio have no stream event in the hub yet.
        }
      }
    }
    if (call != null) {
      callCount++;
      sawCall = true;
    }
  }

  private void fail(Consumer<StreamEvent> out, String message) {
    done = true;
    out.accept(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message)));
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = GeminiFields.get(node, name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}

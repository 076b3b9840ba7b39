package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One upstream {@code streamGenerateContent?alt=sse} stream → canonical events. Each SSE event is
 * a whole {@code GenerateContentResponse} carrying only new text; function calls arrive whole.
 * The hub's stream has one choice, so only candidate 0 is followed.
 *
 * <p>State that changes per chunk lives here: whether the answer started, calls counted, the
 * finish reason and the latest usage (Gemini repeats running totals, it never sends increments).
 */
final class GeminiStreamDecoder implements ChatCodec.StreamDecoder {

  /** Inline images can ride in one event; beyond this the stream is garbage. */
  static final int MAX_EVENT_BYTES = 64 * 1024 * 1024;

  private final ArrayDeque<SseEvent> events = new ArrayDeque<>();
  private final SseReader reader = new SseReader(events::add, MAX_EVENT_BYTES);

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
    try {
      reader.feed(chunk);
    } catch (SseReader.EventTooLargeException e) {
      fail(out, "the upstream sent an event larger than " + MAX_EVENT_BYTES + " bytes");
      return;
    }
    drain(out);
  }

  @Override
  public void finish(Consumer<StreamEvent> out) {
    if (done) {
      return;
    }
    reader.finish();
    drain(out);
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

  private void drain(Consumer<StreamEvent> out) {
    SseEvent event;
    while (!done && (event = events.poll()) != null) {
      if (event.data() != null && !event.data().isBlank()) {
        chunk(event.data(), out);
      }
    }
    events.clear();
  }

  private void chunk(String data, Consumer<StreamEvent> out) {
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

  private void part(JsonNode part, Consumer<StreamEvent> out) {
    List<ContentPart> decoded = new ArrayList<>(2);
    ContentPart.ToolCall call = GeminiResponseDecoder.part(part, responseId, callCount, decoded);
    for (ContentPart p : decoded) {
      switch (p) {
        case ContentPart.Text text -> out.accept(new StreamEvent.TextDelta(text.text()));
        case ContentPart.Thinking thinking -> {
          if (!thinking.text().isEmpty()) {
            out.accept(new StreamEvent.ThinkingDelta(thinking.text(), null));
          }
          if (thinking.signature() != null) {
            out.accept(new StreamEvent.ThinkingDelta(null, thinking.signature()));
          }
        }
        case ContentPart.ToolCall c -> {
          out.accept(new StreamEvent.ToolCallStart(callCount, c.id(), c.name()));
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
    events.clear();
    out.accept(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message)));
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = GeminiFields.get(node, name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}

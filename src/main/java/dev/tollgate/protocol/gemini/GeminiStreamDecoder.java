package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    if (isPlainTextChunk(data) && fastChunk(data, out)) {
      return; // the bulk of every stream: read without building a tree
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

  /** Text parts only: no calls, thoughts, media, errors or feedback anywhere in the chunk. */
  private static boolean isPlainTextChunk(String json) {
    for (String marker : PLAIN_TEXT_EXCLUDES) {
      if (json.contains(marker)) {
        return false;
      }
    }
    return true;
  }

  /** Whose thinking signatures these are (ContentPart.Thinking's vendor). */
  private static final String VENDOR = "gemini";

  private static final String[] PLAIN_TEXT_EXCLUDES = {
    "\"functionCall\"", "\"thought", "\"error\"", "\"promptFeedback\"", "\"inlineData\"", "\"fileData\"",
    "\"executableCode\"", "\"codeExecutionResult\"", "_"
  };

  /**
   * Reads a plain text chunk with a streaming parser, with the tree path's meaning: Start on the
   * first chunk (with its input usage), the latest usage, candidate 0's text parts and finish
   * reason. Returns false, having changed nothing, for any other shape.
   */
  private boolean fastChunk(String json, Consumer<StreamEvent> out) {
    String id = null;
    String model = null;
    TokenUsage chunkUsage = null;
    String reason = null;
    List<String> texts = new ArrayList<>(1);
    try (JsonParser parser = GeminiJson.MAPPER.getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "responseId" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "modelVersion" -> model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "usageMetadata" -> {
            if (value != JsonToken.START_OBJECT) {
              return false;
            }
            chunkUsage = usage(parser);
          }
          case "candidates" -> {
            if (value != JsonToken.START_ARRAY) {
              return false;
            }
            int count = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              if (++count > 1) {
                return false;
              }
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken inner = parser.nextToken();
                switch (name) {
                  case "index" -> {
                    if (inner != JsonToken.VALUE_NUMBER_INT || parser.getIntValue() != 0) {
                      return false;
                    }
                  }
                  case "finishReason" -> reason = inner == JsonToken.VALUE_STRING ? parser.getText() : null;
                  case "content" -> {
                    if (inner != JsonToken.START_OBJECT || !texts(parser, texts)) {
                      return false;
                    }
                  }
                  default -> parser.skipChildren();
                }
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return false;
    }
    if (!started) {
      started = true;
      responseId = id;
      TokenUsage input = chunkUsage == null ? null : new TokenUsage(chunkUsage.inputTotal(), chunkUsage.cacheRead(), 0, 0, 0);
      out.accept(new StreamEvent.Start(id, model, input));
    }
    if (chunkUsage != null) {
      usage = chunkUsage;
    }
    for (String text : texts) {
      out.accept(new StreamEvent.TextDelta(text));
    }
    if (reason != null) {
      finishReason = reason;
    }
    return true;
  }

  /** Reads {@code content.parts[].text}; false when a part holds anything but text. */
  private static boolean texts(JsonParser parser, List<String> texts) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!"parts".equals(field)) {
        parser.skipChildren();
        continue;
      }
      if (value != JsonToken.START_ARRAY) {
        return false;
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          JsonToken partValue = parser.nextToken();
          if (!"text".equals(parser.currentName()) || partValue != JsonToken.VALUE_STRING) {
            return false;
          }
          if (!parser.getText().isEmpty()) {
            texts.add(parser.getText());
          }
        }
      }
    }
    return true;
  }

  /** {@code usageMetadata} as {@link GeminiUsage#decode} reads it. */
  private static TokenUsage usage(JsonParser parser) throws IOException {
    long prompt = 0;
    long cached = 0;
    long candidates = 0;
    long thoughts = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      long count = value == JsonToken.VALUE_NUMBER_INT ? Math.max(0, parser.getLongValue()) : 0;
      switch (field) {
        case "promptTokenCount", "toolUsePromptTokenCount" -> prompt += count;
        case "cachedContentTokenCount" -> cached = count;
        case "candidatesTokenCount" -> candidates = count;
        case "thoughtsTokenCount" -> thoughts = count;
        default -> parser.skipChildren();
      }
    }
    return new TokenUsage(prompt, cached, 0, candidates + thoughts, thoughts);
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
    events.clear();
    out.accept(new StreamEvent.Error(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message)));
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = GeminiFields.get(node, name);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}

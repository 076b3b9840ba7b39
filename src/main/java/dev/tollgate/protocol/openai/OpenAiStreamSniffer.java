package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.sse.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a passthrough OpenAI stream for what metering needs — usage, finish, the end marker,
 * errors — and decides which events reach the client: the usage chunk the gateway asked for on
 * the client's behalf is dropped when the client did not ask for it itself.
 *
 * <p>It also keeps the generated text in a bounded window so that, when the upstream sends no
 * usage at all, the caller can estimate the completion tokens. Content-only chunks are kept raw
 * and parsed only when that estimate is asked for or the window fills: most upstreams report
 * usage, and then they are never parsed. One instance per stream.
 */
public final class OpenAiStreamSniffer implements Passthrough.StreamWatch {

  /** Text held for estimation before it is handed to the estimator and dropped. */
  private static final int TEXT_WINDOW_CHARS = 16 * 1024;

  /** Counts tokens of a piece of generated text (the caller's estimator). */
  @FunctionalInterface
  public interface TokenCounter {
    int count(String text);
  }

  private final boolean clientWantsUsage;
  private final TokenCounter counter;
  private final StringBuilder window = new StringBuilder();
  private final List<String> deferred = new ArrayList<>();
  private int deferredChars;
  private int countedCompletionTokens;
  private Usage usage;
  private boolean finished;
  private boolean done;
  private boolean errored;

  public OpenAiStreamSniffer(boolean clientWantsUsage, TokenCounter counter) {
    this.clientWantsUsage = clientWantsUsage;
    this.counter = counter;
  }

  /** Reads one event; returns true when it should be forwarded to the client. */
  @Override
  public boolean onEvent(SseEvent event) {
    String data = event.data();
    if (data == null) {
      return true;
    }
    String trimmed = data.strip();
    if (trimmed.equals("[DONE]")) {
      done = true;
      return true;
    }
    if (trimmed.isEmpty() || trimmed.charAt(0) != '{') {
      return true;
    }
    if (!JsonScan.hasMember(trimmed, "\"usage\"", '{') && !JsonScan.hasMember(trimmed, "\"error\"", '{')) {
      // The common chunk: content only. Parsing it costs more than relaying it, and its text is
      // needed only if the upstream never reports usage, so it is parsed later, if at all.
      if (JsonScan.hasMember(trimmed, "\"finish_reason\"", '"')) {
        finished = true;
      }
      defer(trimmed);
      return true;
    }
    return readChunk(trimmed);
  }

  private void defer(String chunk) {
    deferred.add(chunk);
    deferredChars += chunk.length();
    if (deferredChars >= TEXT_WINDOW_CHARS) {
      digestDeferred();
    }
  }

  /** Parses the deferred chunks for their generated text (bounded memory for long streams). */
  private void digestDeferred() {
    for (String chunk : deferred) {
      readChunk(chunk);
    }
    deferred.clear();
    deferredChars = 0;
  }

  private boolean readChunk(String json) {
    // A chunk without choices (some vendors omit the field on the usage chunk) has none either.
    boolean emptyChoices = true;
    boolean hadUsage = false;
    try (JsonParser parser = OpenAiUsage.JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return true;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "choices" -> emptyChoices = readChoices(parser, value);
          case "usage" -> {
            if (value == JsonToken.START_OBJECT) {
              usage = OpenAiUsage.read(parser);
              hadUsage = true;
            }
          }
          case "error" -> {
            errored = true;
            parser.skipChildren();
          }
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      return true; // not ours to judge: relay it as the upstream sent it
    }
    // Only the dedicated usage chunk is ours to drop; usage riding on a content chunk is harmless.
    return clientWantsUsage || !(hadUsage && emptyChoices);
  }

  /** Returns true when there was no choice (an empty array, or null). */
  private boolean readChoices(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return true;
    }
    boolean empty = true;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      empty = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken inner = parser.nextToken();
        if ("delta".equals(field) && inner == JsonToken.START_OBJECT) {
          readDelta(parser);
        } else if ("finish_reason".equals(field) && inner == JsonToken.VALUE_STRING) {
          finished = true;
        } else {
          parser.skipChildren();
        }
      }
    }
    return empty;
  }

  private void readDelta(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "content", "reasoning_content", "reasoning", "refusal" -> {
          if (value == JsonToken.VALUE_STRING) {
            keep(parser.getText());
          }
        }
        case "tool_calls" -> readToolCalls(parser, value);
        default -> parser.skipChildren();
      }
    }
  }

  private void readToolCalls(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return;
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken inner = parser.nextToken();
        if ("function".equals(field) && inner == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            JsonToken part = parser.nextToken();
            if (part == JsonToken.VALUE_STRING) {
              keep(parser.getText()); // name and argument fragments are both generated tokens
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    }
  }

  private void keep(String text) {
    window.append(text);
    if (window.length() >= TEXT_WINDOW_CHARS) {
      countedCompletionTokens += counter.count(window.toString());
      window.setLength(0);
    }
  }

  /** The upstream's own usage, or null when it sent none. */
  @Override
  public Usage reportedUsage() {
    return usage;
  }

  /** Completion tokens estimated from the text seen so far. */
  @Override
  public int estimatedCompletionTokens() {
    digestDeferred();
    int pending = window.isEmpty() ? 0 : counter.count(window.toString());
    return countedCompletionTokens + pending;
  }

  /** [DONE] or a finish reason: the answer is whole (vendors may close without [DONE]). */
  @Override
  public boolean complete() {
    return done || finished;
  }

  /** A choice carried a finish reason. */
  public boolean sawFinish() {
    return finished;
  }

  /** The {@code [DONE]} marker arrived. */
  public boolean sawDone() {
    return done;
  }

  /** The upstream reported an error inside the stream. */
  @Override
  public boolean sawError() {
    return errored;
  }
}

package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk that makes up nearly every Gemini stream, read with a streaming parser instead of a
 * tree: responseId and modelVersion, the usage, candidate 0's text parts and finish reason. {@link
 * #read} says false for any other shape; the tree path then reads the chunk.
 *
 * <p>One per decoder, refilled by every chunk: the fields hold the last chunk read.
 */
final class GeminiTextChunk {

  /** What only the tree path reads: calls, thoughts, media, errors, feedback, snake_case fields. */
  private static final String[] NOT_PLAIN = {
    "\"functionCall\"", "\"thought", "\"error\"", "\"promptFeedback\"", "\"inlineData\"", "\"fileData\"",
    "\"executableCode\"", "\"codeExecutionResult\"", "_"
  };

  String id;
  String model;
  TokenUsage usage;
  String reason;
  final List<String> texts = new ArrayList<>(1);

  /** Text parts only: none of {@link #NOT_PLAIN} anywhere in the chunk. */
  static boolean mayBePlain(String json) {
    for (String marker : NOT_PLAIN) {
      if (json.contains(marker)) {
        return false;
      }
    }
    return true;
  }

  private static final JsonScan.Markers NOT_PLAIN_MARKERS = new JsonScan.Markers(NOT_PLAIN);

  /** {@link #mayBePlain(String)} over the first {@code length} bytes of UTF-8 JSON, in one pass. */
  static boolean mayBePlain(byte[] json, int length) {
    return NOT_PLAIN_MARKERS.find(json, 0, length) < 0;
  }

  /**
   * Reads a whole chunk; false, with the fields in any state, when it is not a plain text chunk.
   * Id and model are read only {@code forStart}: they matter only until the answer started.
   */
  boolean read(JsonParser parser, boolean forStart) throws IOException {
    id = null;
    model = null;
    usage = null;
    reason = null;
    texts.clear();
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "responseId" -> id = value == JsonToken.VALUE_STRING && forStart ? parser.getText() : null;
        case "modelVersion" -> model = value == JsonToken.VALUE_STRING && forStart ? parser.getText() : null;
        case "usageMetadata" -> {
          if (value != JsonToken.START_OBJECT) {
            return false;
          }
          usage = usage(parser);
        }
        case "candidates" -> {
          if (value != JsonToken.START_ARRAY || !candidates(parser)) {
            return false;
          }
        }
        default -> parser.skipChildren();
      }
    }
    return true;
  }

  private boolean candidates(JsonParser parser) throws IOException {
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
            if (inner != JsonToken.START_OBJECT || !texts(parser)) {
              return false;
            }
          }
          default -> parser.skipChildren();
        }
      }
    }
    return true;
  }

  /** Reads {@code content.parts[].text}; false when a part holds anything but text. */
  private boolean texts(JsonParser parser) throws IOException {
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
          String text = parser.getText();
          if (!text.isEmpty()) {
            texts.add(text);
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
}

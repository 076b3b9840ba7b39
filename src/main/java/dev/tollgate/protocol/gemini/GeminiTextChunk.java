package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk that makes up nearly every Gemini stream, read with a streaming parser instead of a
 * tree: responseId and modelVersion, the usage, candidate 0's text parts and finish reason. {@link
 * #read} says false for any other shape (calls, thoughts, media, errors, prompt feedback,
 * snake_case fields); the tree path then reads the chunk. Deciding by the fields as they are
 * parsed, not by scanning the bytes for markers first, reads each chunk once.
 *
 * <p>One per decoder, refilled by every chunk: the fields hold the last chunk read.
 */
final class GeminiTextChunk {

  String id;
  String model;
  TokenUsage usage;
  String reason;
  final List<String> texts = new ArrayList<>(1);

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
          if (usage == null) {
            return false;
          }
        }
        case "candidates" -> {
          if (value != JsonToken.START_ARRAY || !candidates(parser)) {
            return false;
          }
        }
        case "error", "promptFeedback" -> {
          return false;
        }
        default -> {
          if (!ignorable(field)) {
            return false;
          }
          parser.skipChildren();
        }
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
          default -> {
            if (!ignorable(name)) {
              return false;
            }
            parser.skipChildren();
          }
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
        if (!ignorable(field)) {
          return false;
        }
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

  /** {@code usageMetadata} as {@link GeminiUsage#decode} reads it; null when it must read it itself. */
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
        default -> {
          if (!ignorable(field)) {
            return null;
          }
          parser.skipChildren();
        }
      }
    }
    return new TokenUsage(prompt, cached, 0, candidates + thoughts, thoughts);
  }

  /**
   * A field this reader may skip. A snake_case name may be the spelling of a field the tree path
   * reads ({@link GeminiFields#get} accepts both), so it sends the chunk there.
   */
  private static boolean ignorable(String field) {
    return field.indexOf('_') < 0;
  }
}

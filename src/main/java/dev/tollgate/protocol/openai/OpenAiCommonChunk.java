package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.JsonScan;
import java.io.IOException;

/**
 * The chunk that makes up nearly every OpenAI stream, read with a streaming parser instead of a
 * tree: id and model (for Start), choice 0's text, at most one tool-call fragment (with its index,
 * and id and name on the first fragment) and the finish reason. {@link #read} says false for any
 * other shape (several choices or calls, unexpected types); the tree path then reads the chunk.
 *
 * <p>One per decoder, refilled by every chunk: the fields hold the last chunk read.
 */
final class OpenAiCommonChunk {

  String id;
  String model;
  String content;
  String finish;
  boolean hasCall;
  int callIndex;
  String callId;
  String callName;
  String callArguments;

  /**
   * False when the chunk may hold what only the tree path reads: usage, an error, reasoning or a
   * refusal. A cheap look at the text, so that such chunks are not parsed twice.
   */
  static boolean mayBeCommon(String json) {
    return !JsonScan.hasMember(json, "\"usage\"", '{')
        && !json.contains("\"error\"") // an error of any shape takes the full path
        && !json.contains("\"reasoning")
        && !json.contains("\"refusal\"");
  }

  private static final JsonScan.Markers NOT_COMMON =
      new JsonScan.Markers("\"usage\"", "\"error\"", "\"reasoning", "\"refusal\"");

  /** {@link #mayBeCommon(String)} over the first {@code length} bytes of UTF-8 JSON, in one pass. */
  static boolean mayBeCommon(byte[] json, int length) {
    for (int at = NOT_COMMON.find(json, 0, length); at >= 0; at = NOT_COMMON.find(json, at + 1, length)) {
      boolean usage = JsonScan.isAt(json, length, at, "\"usage\"");
      if (!usage || JsonScan.valueStarts(json, length, at + "\"usage\"".length(), '{')) {
        return false; // usage only counts as an object: "usage":null rides on common chunks
      }
    }
    return true;
  }

  /**
   * Reads a whole chunk; false, with the fields in any state, when it is not the common shape. Id
   * and model are read only {@code forStart}: they matter only until the answer started.
   */
  boolean read(JsonParser parser, boolean forStart) throws IOException {
    id = null;
    model = null;
    content = null;
    finish = null;
    hasCall = false;
    callId = null;
    callName = null;
    callArguments = null;
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> id = value == JsonToken.VALUE_STRING && forStart ? parser.getText() : null;
        case "model" -> model = value == JsonToken.VALUE_STRING && forStart ? parser.getText() : null;
        case "choices" -> {
          if (value != JsonToken.START_ARRAY || !choices(parser)) {
            return false;
          }
        }
        default -> parser.skipChildren();
      }
    }
    return true;
  }

  private boolean choices(JsonParser parser) throws IOException {
    int choices = 0;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      if (++choices > 1) {
        return false;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken inner = parser.nextToken();
        switch (name) {
          case "index" -> {
            if (inner != JsonToken.VALUE_NULL && (inner != JsonToken.VALUE_NUMBER_INT || parser.getIntValue() != 0)) {
              return false;
            }
          }
          case "finish_reason" -> finish = inner == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "delta" -> {
            if (inner != JsonToken.START_OBJECT || !delta(parser)) {
              return false;
            }
          }
          default -> parser.skipChildren();
        }
      }
    }
    return parser.currentToken() == JsonToken.END_ARRAY; // not an object in the array: the tree path
  }

  private boolean delta(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("content".equals(field) && value == JsonToken.VALUE_STRING) {
        content = parser.getText();
      } else if ("tool_calls".equals(field) && value != JsonToken.VALUE_NULL) {
        if (value != JsonToken.START_ARRAY || !toolCalls(parser)) {
          return false;
        }
      } else {
        parser.skipChildren();
      }
    }
    return true;
  }

  private boolean toolCalls(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      if (hasCall) {
        return false; // several calls in one chunk: the tree path keeps their order
      }
      hasCall = true;
      boolean indexed = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "index" -> {
            if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
              return false; // no index (a few vendors) is matched by id on the tree path
            }
            callIndex = parser.getIntValue();
            indexed = true;
          }
          case "id" -> {
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
              return false;
            }
            callId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          }
          case "function" -> {
            if (value != JsonToken.START_OBJECT) {
              return false;
            }
            function(parser);
          }
          default -> parser.skipChildren();
        }
      }
      if (!indexed) {
        return false;
      }
    }
    return parser.currentToken() == JsonToken.END_ARRAY;
  }

  private void function(JsonParser parser) throws IOException {
    callName = null; // a repeated key: the last object counts, as in a tree
    callArguments = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
      parser.skipChildren();
      switch (field) {
        case "name" -> callName = text;
        case "arguments" -> callArguments = text;
        default -> { }
      }
    }
  }
}

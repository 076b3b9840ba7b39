package dev.tollgate.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.EventJsonParser;
import java.io.IOException;

/**
 * The fields of a {@code content_block_delta} event that the decoder reads, the bulk of every
 * Anthropic stream: read with a streaming parser ({@link #read}) or taken from a tree ({@link
 * #from}). One per decoder, refilled by every event.
 */
final class AnthropicBlockDelta {

  private static final String[] EVENT_TYPES = {"content_block_delta"};
  private static final String[] DELTA_TYPES = {"text_delta", "input_json_delta", "thinking_delta", "signature_delta"};

  int index;
  String type;
  String text;
  String thinking;
  String signature;
  String partialJson;

  AnthropicBlockDelta from(int index, JsonNode delta) {
    this.index = index;
    type = AnthropicJson.text(delta, "type");
    text = AnthropicJson.text(delta, "text");
    thinking = AnthropicJson.text(delta, "thinking");
    signature = AnthropicJson.text(delta, "signature");
    partialJson = AnthropicJson.text(delta, "partial_json");
    return this;
  }

  /** Reads a whole event; false, with the fields in any state, for any other shape or type. */
  boolean read(JsonParser parser) throws IOException {
    index = -1;
    type = null;
    text = null;
    thinking = null;
    signature = null;
    partialJson = null;
    String eventType = null;
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return false;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "type" -> eventType = value == JsonToken.VALUE_STRING ? EventJsonParser.text(parser, EVENT_TYPES) : null;
        case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
        case "delta" -> {
          if (value != JsonToken.START_OBJECT) {
            return false;
          }
          delta(parser);
        }
        default -> parser.skipChildren();
      }
    }
    return "content_block_delta".equals(eventType);
  }

  private void delta(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken inner = parser.nextToken();
      boolean string = inner == JsonToken.VALUE_STRING;
      if (inner.isStructStart()) {
        parser.skipChildren();
      }
      switch (name) {
        case "type" -> type = string ? EventJsonParser.text(parser, DELTA_TYPES) : null;
        case "text" -> text = string ? parser.getText() : null;
        case "thinking" -> thinking = string ? parser.getText() : null;
        case "signature" -> signature = string ? parser.getText() : null;
        case "partial_json" -> partialJson = string ? parser.getText() : null;
        default -> { }
      }
    }
  }
}

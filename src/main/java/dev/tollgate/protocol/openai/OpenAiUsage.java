package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.Usage;
import java.io.IOException;

/** Reads OpenAI {@code usage} objects with a streaming parser (no tree per response). */
public final class OpenAiUsage {

  static final JsonFactory JSON = OpenAiJson.FACTORY;

  private OpenAiUsage() {}

  /** What metering needs of a non-streamed answer. */
  public record ResponseFacts(boolean wellFormed, Usage usage) {}

  private static final ResponseFacts MALFORMED = new ResponseFacts(false, null);

  /**
   * Reads a non-streamed response body: whether it is one well-formed JSON object (anything else
   * is upstream garbage), and its top-level usage, or null when it has none.
   */
  public static ResponseFacts readResponse(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return MALFORMED;
      }
      Usage usage = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
          usage = read(parser);
        } else {
          parser.skipChildren();
        }
      }
      return parser.nextToken() == null ? new ResponseFacts(true, usage) : MALFORMED;
    } catch (IOException e) {
      return MALFORMED;
    }
  }

  /** Reads a usage object; the parser stands on its START_OBJECT and ends on its END_OBJECT. */
  static Usage read(JsonParser parser) throws IOException {
    int prompt = 0;
    int completion = 0;
    int cached = 0;
    int reasoning = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "prompt_tokens" -> prompt = intValue(parser, value);
        case "completion_tokens" -> completion = intValue(parser, value);
        case "prompt_tokens_details" -> cached = detail(parser, value, "cached_tokens");
        case "completion_tokens_details" -> reasoning = detail(parser, value, "reasoning_tokens");
        default -> parser.skipChildren();
      }
    }
    return new Usage(prompt, completion, cached, reasoning);
  }

  private static int detail(JsonParser parser, JsonToken value, String wanted) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return 0;
    }
    int found = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken inner = parser.nextToken();
      if (wanted.equals(field)) {
        found = intValue(parser, inner);
      } else {
        parser.skipChildren();
      }
    }
    return found;
  }

  private static int intValue(JsonParser parser, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : 0;
  }
}

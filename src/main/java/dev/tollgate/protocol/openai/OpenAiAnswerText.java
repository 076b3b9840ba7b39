package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;

/**
 * The generated text of a non-streamed chat answer (contents, refusals, reasoning and tool
 * arguments of every choice), for estimating completion tokens when the upstream reports none.
 */
public final class OpenAiAnswerText {

  private static final Set<String> GENERATED =
      Set.of("content", "refusal", "reasoning_content", "reasoning", "arguments", "name");

  private OpenAiAnswerText() {}

  public static String of(byte[] body) {
    StringBuilder text = new StringBuilder();
    try (JsonParser parser = OpenAiJson.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
          collect(parser, text);
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      // Validated before: whatever was read is the best estimate available.
    }
    return text.toString();
  }

  private static void collect(JsonParser parser, StringBuilder text) throws IOException {
    int depth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return;
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_STRING -> {
          if (GENERATED.contains(parser.currentName())) {
            text.append(parser.getText()).append('\n');
          }
        }
        default -> {}
      }
    }
  }
}

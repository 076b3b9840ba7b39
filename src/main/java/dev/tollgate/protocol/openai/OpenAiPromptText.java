package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The text of a chat request's messages, for estimating prompt tokens when an upstream reports
 * no usage. Collects every string value inside {@code messages} (content, parts, tool arguments).
 */
public final class OpenAiPromptText {

  /** Tokens OpenAI adds around each message (role and separators), per its cookbook. */
  public static final int TOKENS_PER_MESSAGE = 4;

  private OpenAiPromptText() {}

  public record PromptText(String text, int messages) {}

  public static PromptText of(byte[] body, int start) {
    StringBuilder text = new StringBuilder();
    int messages = 0;
    try (JsonParser parser = OpenAiUsage.JSON.createParser(body, start, body.length - start)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return new PromptText("", 0);
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("messages".equals(field) && value == JsonToken.START_ARRAY) {
          int depth = 1;
          while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
              break;
            }
            switch (token) {
              case START_OBJECT, START_ARRAY -> {
                if (depth == 1) {
                  messages++;
                }
                depth++;
              }
              case END_OBJECT, END_ARRAY -> depth--;
              case VALUE_STRING -> text.append(parser.getText()).append('\n');
              default -> {}
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      // The request was validated before; whatever was read is the best estimate available.
    }
    return new PromptText(text.toString(), messages);
  }
}

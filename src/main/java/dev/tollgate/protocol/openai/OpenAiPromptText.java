package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;

/**
 * The text of a chat request's messages, for estimating prompt tokens when an upstream reports
 * no usage. Collects the string values inside {@code messages} that the model reads as text
 * (content, text parts, tool names and arguments), not media payloads or structural fields.
 */
public final class OpenAiPromptText {

  /** Tokens OpenAI adds around each message (role and separators), per its cookbook. */
  public static final int TOKENS_PER_MESSAGE = 4;

  /**
   * Fields whose strings the model does not read as text: roles are in {@link
   * #TOKENS_PER_MESSAGE}, and base64 images, audio and files (megabytes each) are priced by the
   * provider per image or second, so counting their characters would inflate an estimate
   * thousands of times.
   */
  private static final Set<String> NOT_TEXT =
      Set.of("role", "type", "id", "tool_call_id", "image_url", "input_audio", "file", "audio");

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
              case FIELD_NAME -> {
                if (NOT_TEXT.contains(parser.currentName())) {
                  parser.nextToken();
                  parser.skipChildren();
                }
              }
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

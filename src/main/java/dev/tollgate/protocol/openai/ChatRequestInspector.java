package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonScan;
import java.io.IOException;

/**
 * Reads what the gateway needs from an OpenAI chat request without building a tree: the model,
 * the stream flags and where the fields to edit sit in the bytes. It validates the top-level
 * fields the gateway relies on and leaves everything else to the upstream, so unknown fields
 * pass untouched.
 *
 * <p>Duplicate keys: the last one wins, as in most JSON parsers, and that is the one edited.
 */
public final class ChatRequestInspector {

  private static final JsonFactory JSON = OpenAiJson.FACTORY;

  private ChatRequestInspector() {}

  /**
   * @throws GatewayError.Failure with an INVALID_REQUEST error naming the problem
   */
  public static ChatRequestFacts inspect(byte[] body) {
    int start = JsonScan.bomLength(body);
    Builder facts = new Builder(start);
    try (JsonParser parser = JSON.createParser(body, start, body.length - start)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw fail(null, "the request body must be a JSON object");
      }
      facts.objectStart = offset(parser, start);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        int valueStart = offset(parser, start);
        switch (field) {
          case "model" -> {
            if (value != JsonToken.VALUE_STRING || parser.getText().isBlank()) {
              throw fail("model", "'model' must be a non-empty string");
            }
            facts.model = parser.getText();
            facts.modelStart = valueStart;
            facts.modelEnd = end(parser, start);
          }
          case "messages" -> facts.messageCount = readMessages(parser, value);
          case "stream" -> facts.stream = optionalBoolean(parser, value, "stream");
          case "stream_options" -> {
            facts.includeUsage = false;
            facts.includeUsageStart = -1;
            facts.includeUsageEnd = -1;
            if (value == JsonToken.VALUE_NULL) {
              facts.streamOptionsStart = valueStart;
              facts.streamOptionsEnd = end(parser, start);
            } else if (value == JsonToken.START_OBJECT) {
              facts.streamOptionsStart = valueStart;
              readIncludeUsage(parser, start, facts);
              facts.streamOptionsEnd = end(parser, start);
            } else {
              throw fail("stream_options", "'stream_options' must be an object");
            }
          }
          case "max_tokens", "max_completion_tokens" -> {
            Integer max = positiveInteger(parser, value, field);
            if (max != null && (facts.maxOutputTokens == null || field.equals("max_completion_tokens"))) {
              facts.maxOutputTokens = max; // max_completion_tokens replaces the older max_tokens
            }
          }
          case "n" -> positiveInteger(parser, value, field);
          case "temperature", "top_p", "presence_penalty", "frequency_penalty" -> optionalNumber(value, field);
          case "tools" -> {
            if (value != JsonToken.START_ARRAY && value != JsonToken.VALUE_NULL) {
              throw fail("tools", "'tools' must be an array");
            }
            parser.skipChildren();
          }
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw fail(null, "the request body is not valid JSON");
      }
    } catch (IOException e) {
      throw fail(null, "the request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (facts.model == null) {
      throw fail("model", "'model' is required");
    }
    if (facts.messageCount < 0) {
      throw fail("messages", "'messages' is required");
    }
    return facts.build(body);
  }

  private static int readMessages(JsonParser parser, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw fail("messages", "'messages' must be an array of message objects");
    }
    int count = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw fail("messages", "messages[" + count + "] must be an object");
      }
      boolean hasRole = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken fieldValue = parser.nextToken();
        if ("role".equals(field)) {
          if (fieldValue != JsonToken.VALUE_STRING) {
            throw fail("messages", "messages[" + count + "].role must be a string");
          }
          hasRole = true;
        } else {
          parser.skipChildren();
        }
      }
      if (!hasRole) {
        throw fail("messages", "messages[" + count + "] needs a 'role'");
      }
      count++;
    }
    if (count == 0) {
      throw fail("messages", "'messages' must not be empty");
    }
    return count;
  }

  private static void readIncludeUsage(JsonParser parser, int base, Builder facts) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("include_usage".equals(field)) {
        facts.includeUsage = optionalBoolean(parser, value, "stream_options.include_usage");
        facts.includeUsageStart = offset(parser, base);
        facts.includeUsageEnd = end(parser, base);
      } else {
        parser.skipChildren();
      }
    }
  }

  private static boolean optionalBoolean(JsonParser parser, JsonToken value, String field) {
    return switch (value) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE, VALUE_NULL -> false;
      default -> throw fail(field, "'" + field + "' must be a boolean");
    };
  }

  /** The value, capped at {@link Integer#MAX_VALUE}; null when null. */
  private static Integer positiveInteger(JsonParser parser, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw fail(field, "'" + field + "' must be an integer");
    }
    java.math.BigInteger number = parser.getBigIntegerValue();
    if (number.signum() <= 0) {
      throw fail(field, "'" + field + "' must be at least 1");
    }
    return number.bitLength() < 32 ? number.intValue() : Integer.MAX_VALUE;
  }

  private static void optionalNumber(JsonToken value, String field) {
    if (value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      throw fail(field, "'" + field + "' must be a number");
    }
  }

  private static int offset(JsonParser parser, int base) {
    return base + (int) parser.currentTokenLocation().getByteOffset();
  }

  /** Offset just past the current token (strings and closed objects/arrays included). */
  private static int end(JsonParser parser, int base) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      parser.getText(); // strings are read lazily: finish it so the location is past the quote
    }
    return base + (int) parser.currentLocation().getByteOffset();
  }

  private static GatewayError.Failure fail(String param, String message) {
    return new GatewayError.Failure(GatewayError.invalid(param, message));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    return cut < 0 ? message : message.substring(0, cut);
  }

  private static final class Builder {
    final int bodyStart;
    int objectStart = -1;
    String model;
    int modelStart = -1;
    int modelEnd = -1;
    int messageCount = -1;
    boolean stream;
    boolean includeUsage;
    int streamOptionsStart = -1;
    int streamOptionsEnd = -1;
    int includeUsageStart = -1;
    int includeUsageEnd = -1;
    Integer maxOutputTokens;

    Builder(int bodyStart) {
      this.bodyStart = bodyStart;
    }

    ChatRequestFacts build(byte[] body) {
      return new ChatRequestFacts(
          body, bodyStart, objectStart, model, modelStart, modelEnd, stream, includeUsage,
          streamOptionsStart, streamOptionsEnd, includeUsageStart, includeUsageEnd, maxOutputTokens);
    }
  }
}

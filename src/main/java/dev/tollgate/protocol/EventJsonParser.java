package dev.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * One JSON parser for the events of a whole stream: each event's data is fed in turn to a
 * non-blocking parser that lives as long as the stream. A parser per event costs more than many
 * events carry (about 800 bytes: context, symbol table, buffers); once warm, this one allocates
 * only the Strings that are read, and field names come from its symbol table.
 *
 * <pre>{@code
 * boolean read;
 * try {
 *   read = reader.read(parser.next(data, length));
 * } catch (IOException e) {
 *   read = false;
 * }
 * if (parser.end(read)) { ... }
 * }</pre>
 *
 * <p>An event's data must be read as one whole JSON object followed by nothing but whitespace;
 * anything else (a reader that gave up halfway, invalid or truncated JSON, a second value) leaves
 * the parser somewhere inside the data, so it is replaced. One per stream; not thread-safe.
 */
public final class EventJsonParser {

  private final JsonFactory factory;
  private JsonParser parser;

  public EventJsonParser(JsonFactory factory) {
    this.factory = factory;
  }

  /** The parser, fed the first {@code length} bytes of {@code data}: read one object, then {@link #end}. */
  public JsonParser next(byte[] data, int length) throws IOException {
    if (parser == null) {
      parser = factory.createNonBlockingByteArrayParser();
    }
    ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(data, 0, length);
    return parser;
  }

  /**
   * Ends the event. True when the reader accepted it ({@code read}) and the data was one whole
   * object followed only by whitespace; otherwise the parser is dropped and false returned.
   */
  public boolean end(boolean read) {
    if (read && parser != null) {
      try {
        if (parser.currentToken() == JsonToken.END_OBJECT && parser.getParsingContext().inRoot()
            && parser.nextToken() == JsonToken.NOT_AVAILABLE) {
          return true;
        }
      } catch (IOException e) {
        // something after the object: the caller's other path decides what it means
      }
    }
    close();
    return false;
  }

  /**
   * The current string token as one of the {@code known} values (the same instance) when it is
   * one of them, else as a new String: type names repeat on every event and need no copy.
   */
  public static String text(JsonParser parser, String[] known) throws IOException {
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    int length = parser.getTextLength();
    for (String candidate : known) {
      if (same(candidate, chars, offset, length)) {
        return candidate;
      }
    }
    return parser.getText();
  }

  private static boolean same(String text, char[] chars, int offset, int length) {
    if (text.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (text.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /** Gives the parser's buffers back; the next event, if any, gets a new parser. */
  public void close() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // nothing to release that matters
      }
      parser = null;
    }
  }
}

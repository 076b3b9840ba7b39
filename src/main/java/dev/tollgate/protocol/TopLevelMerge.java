package dev.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets top-level members of a JSON object body (a shallow merge): a member the body has gets its
 * value replaced, one it lacks is appended. Every other byte stays as it was (key order, number
 * formats, unknown fields), like {@link TopLevelModel}; with duplicate keys each one is replaced.
 */
public final class TopLevelMerge {

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();

  private TopLevelMerge() {}

  /**
   * @param members member name → its value as JSON text (UTF-8), in the order to append them
   * @return the body with the members set; the body itself when there is nothing to set or it is
   *     not a JSON object (the gateway produced or validated it, so that does not happen)
   */
  public static byte[] merge(byte[] body, Map<String, byte[]> members) {
    if (members.isEmpty()) {
      return body;
    }
    List<int[]> replaced = new ArrayList<>(); // {valueStart, valueEnd, index into names}
    List<String> names = new ArrayList<>(members.keySet());
    Set<String> present = new HashSet<>();
    int closingBrace;
    int memberCount = 0;
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return body;
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        memberCount++;
        String name = parser.currentName();
        parser.nextToken();
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        parser.finishToken(); // a string is read lazily: without this its end would be its opening quote
        int end = (int) parser.currentLocation().getByteOffset();
        if (members.containsKey(name)) {
          present.add(name);
          replaced.add(new int[] {start, end, names.indexOf(name)});
        }
      }
      if (token != JsonToken.END_OBJECT) {
        return body;
      }
      closingBrace = (int) parser.currentTokenLocation().getByteOffset();
    } catch (IOException e) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64 * members.size());
    int copied = 0;
    for (int[] edit : replaced) { // in byte order: the parser met them so
      out.write(body, copied, edit[0] - copied);
      byte[] value = members.get(names.get(edit[2]));
      out.write(value, 0, value.length);
      copied = edit[1];
    }
    out.write(body, copied, closingBrace - copied);
    boolean comma = memberCount > 0;
    for (String name : names) {
      if (present.contains(name)) {
        continue;
      }
      if (comma) {
        out.write(',');
      }
      comma = true;
      byte[] key = string(name);
      out.write(key, 0, key.length);
      out.write(':');
      byte[] value = members.get(name);
      out.write(value, 0, value.length);
    }
    out.write(body, closingBrace, body.length - closingBrace);
    return out.toByteArray();
  }

  /** A text as a JSON string value (quoted and escaped, UTF-8), e.g. a member to merge. */
  public static byte[] string(String text) {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    byte[] quoted = new byte[escaped.length + 2];
    quoted[0] = '"';
    System.arraycopy(escaped, 0, quoted, 1, escaped.length);
    quoted[quoted.length - 1] = '"';
    return quoted;
  }
}

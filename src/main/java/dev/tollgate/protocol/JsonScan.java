package dev.tollgate.protocol;

/** Cheap looks into JSON text, to decide whether it is worth parsing at all. */
public final class JsonScan {

  private JsonScan() {}

  /**
   * True when {@code key} (quoted, e.g. {@code "\"usage\""}) appears followed by a colon and a value
   * starting with {@code start}. Inside JSON strings quotes are escaped, so key-like text in
   * content never matches; a false match would only cost a full parse.
   */
  public static boolean hasMember(String json, String key, char start) {
    for (int at = json.indexOf(key); at >= 0; at = json.indexOf(key, at + 1)) {
      int i = skipSpaces(json, at + key.length());
      if (i < json.length() && json.charAt(i) == ':') {
        i = skipSpaces(json, i + 1);
        if (i < json.length() && json.charAt(i) == start) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@link #hasMember(String, String, char)} over the first {@code length} bytes of UTF-8 JSON. */
  public static boolean hasMember(byte[] json, int length, String key, char start) {
    for (int at = indexOf(json, length, key, 0); at >= 0; at = indexOf(json, length, key, at + 1)) {
      int i = skipSpaces(json, length, at + key.length());
      if (i < length && json[i] == ':') {
        i = skipSpaces(json, length, i + 1);
        if (i < length && json[i] == start) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the first {@code length} bytes of {@code json} contain {@code ascii}. */
  public static boolean contains(byte[] json, int length, String ascii) {
    return indexOf(json, length, ascii, 0) >= 0;
  }

  private static int indexOf(byte[] json, int length, String ascii, int from) {
    byte first = (byte) ascii.charAt(0);
    int last = length - ascii.length();
    for (int at = from; at <= last; at++) {
      if (json[at] != first) {
        continue;
      }
      int k = 1;
      while (k < ascii.length() && json[at + k] == ascii.charAt(k)) {
        k++;
      }
      if (k == ascii.length()) {
        return at;
      }
    }
    return -1;
  }

  private static int skipSpaces(byte[] json, int length, int from) {
    int i = from;
    while (i < length && json[i] >= 0 && Character.isWhitespace(json[i])) {
      i++;
    }
    return i;
  }

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}

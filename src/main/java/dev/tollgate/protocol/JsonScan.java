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

  private static int skipSpaces(String text, int from) {
    int i = from;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}

package dev.tollgate.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Cheap looks into JSON text, to decide whether it is worth parsing at all. */
public final class JsonScan {

  private JsonScan() {}

  /** How many bytes a leading UTF-8 byte-order mark takes (3), or 0: JSON parsers do not skip it. */
  public static int bomLength(byte[] body) {
    return body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF ? 3 : 0;
  }

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

  /**
   * ASCII markers looked for in UTF-8 JSON in one pass: a decoder asks this of every event, and
   * one search per marker would read the bytes once per marker.
   */
  public static final class Markers {

    private final boolean[] firstBytes = new boolean[128];
    private final boolean[] wholeMarkers = new boolean[128];
    /** Markers by their second byte: most quotes in JSON are followed by none of them. */
    private final byte[][][] bySecondByte = new byte[128][][];

    public Markers(String... markers) {
      for (String marker : markers) {
        char first = marker.charAt(0);
        firstBytes[first] = true;
        if (marker.length() == 1) {
          wholeMarkers[first] = true;
          continue;
        }
        char second = marker.charAt(1);
        byte[][] same = bySecondByte[second] == null ? new byte[0][] : bySecondByte[second];
        same = Arrays.copyOf(same, same.length + 1);
        same[same.length - 1] = marker.getBytes(StandardCharsets.US_ASCII);
        bySecondByte[second] = same;
      }
    }

    /** Where the first marker at or after {@code from} starts in {@code json[0, length)}, or -1. */
    public int find(byte[] json, int from, int length) {
      for (int at = from; at < length; at++) {
        byte b = json[at];
        if (b < 0 || !firstBytes[b]) {
          continue;
        }
        if (wholeMarkers[b]) {
          return at;
        }
        byte[][] candidates = at + 1 < length && json[at + 1] >= 0 ? bySecondByte[json[at + 1]] : null;
        if (candidates != null) {
          for (byte[] marker : candidates) {
            if (matches(json, length, at, marker)) {
              return at;
            }
          }
        }
      }
      return -1;
    }

    private static boolean matches(byte[] json, int length, int at, byte[] marker) {
      if (length - at < marker.length) {
        return false;
      }
      for (int k = 0; k < marker.length; k++) {
        if (json[at + k] != marker[k]) {
          return false;
        }
      }
      return true;
    }
  }

  /** Whether {@code ascii} is at {@code at} in {@code json[0, length)}. */
  public static boolean isAt(byte[] json, int length, int at, String ascii) {
    if (length - at < ascii.length()) {
      return false;
    }
    for (int k = 0; k < ascii.length(); k++) {
      if (json[at + k] != ascii.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The byte form of {@link #hasMember}'s check at one place: whether a colon and a value starting
   * with {@code start} follow {@code afterKey}.
   */
  public static boolean valueStarts(byte[] json, int length, int afterKey, char start) {
    int i = skipSpaces(json, length, afterKey);
    if (i < length && json[i] == ':') {
      i = skipSpaces(json, length, i + 1);
      return i < length && json[i] == start;
    }
    return false;
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

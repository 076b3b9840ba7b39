package dev.tollgate.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of the event a reader is assembling, kept as bytes. A reader made with {@link
 * SseReader#withoutRaw} hands this very object to its sink for every event: decoders parse the
 * data as UTF-8 JSON anyway, so it never needs to become a String, and nothing is allocated per
 * event. Valid only while the sink runs; not to be kept.
 */
public final class SseFields {

  /** Beyond this, the buffers are dropped after the event rather than kept for the next one. */
  private static final int KEPT_CAPACITY = 64 * 1024;

  private byte[] data = new byte[256];
  private int dataLength;
  private boolean hasData;
  private byte[] event = new byte[32];
  private int eventLength;
  private boolean hasEvent;

  SseFields() {}

  /** False for a block without a {@code data:} line (a comment or keepalive). */
  public boolean hasData() {
    return hasData;
  }

  /** The array holding the data: its first {@link #dataLength()} bytes, lines joined with {@code \n}. */
  public byte[] dataBytes() {
    return data;
  }

  public int dataLength() {
    return dataLength;
  }

  /**
   * Whether the data is well-formed UTF-8: then a byte-based JSON parser reads exactly what {@link
   * #data()} holds. On malformed bytes Jackson may decode what the String replaces with U+FFFD
   * (overlong forms, encoded surrogates), so such data must take the String.
   */
  public boolean dataIsUtf8() {
    int i = 0;
    while (i < dataLength) {
      int b = data[i] & 0xFF;
      if (b < 0x80) {
        i++;
        continue;
      }
      int extra;
      int min = 0x80; // the second byte's range, narrower after E0, ED, F0 and F4
      int max = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        extra = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        extra = 2;
        min = b == 0xE0 ? 0xA0 : 0x80;
        max = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        extra = 3;
        min = b == 0xF0 ? 0x90 : 0x80;
        max = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + extra >= dataLength) {
        return false;
      }
      int second = data[i + 1] & 0xFF;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k <= extra; k++) {
        if ((data[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += extra + 1;
    }
    return true;
  }

  /** The data as a new String (invalid UTF-8 replaced), or null when the event had none. */
  public String data() {
    return hasData ? new String(data, 0, dataLength, StandardCharsets.UTF_8) : null;
  }

  /** The {@code event:} field as a new String, or null. */
  public String event() {
    return hasEvent ? new String(event, 0, eventLength, StandardCharsets.UTF_8) : null;
  }

  /** Whether the {@code event:} field is {@code name} (ASCII), without making a String of it. */
  public boolean eventIs(String name) {
    if (!hasEvent || eventLength != name.length()) {
      return false;
    }
    for (int i = 0; i < eventLength; i++) {
      if (event[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  void addDataLine(byte[] source, int offset, int length) {
    int needed = dataLength + (hasData ? 1 : 0) + length;
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, needed));
    }
    if (hasData) {
      data[dataLength++] = '\n'; // several data lines in one event are rare
    }
    System.arraycopy(source, offset, data, dataLength, length);
    dataLength += length;
    hasData = true;
  }

  void setEvent(byte[] source, int offset, int length) {
    if (length > event.length) {
      event = new byte[length];
    }
    System.arraycopy(source, offset, event, 0, length);
    eventLength = length;
    hasEvent = true;
  }

  void clear() {
    dataLength = 0;
    hasData = false;
    eventLength = 0;
    hasEvent = false;
    if (data.length > KEPT_CAPACITY) {
      data = new byte[256];
    }
    if (event.length > KEPT_CAPACITY) {
      event = new byte[32];
    }
  }
}

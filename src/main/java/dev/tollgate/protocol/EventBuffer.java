package dev.tollgate.protocol;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * The output buffer of a stream encoder, reused for every event: {@link #reset()}, write the
 * event, then {@link #toByteArray()} makes the one allocation an event needs, its bytes. A
 * generator may write into it (it is an OutputStream); hot events write their text with {@link
 * #writeJsonStringContent}, escaped exactly as Jackson's generator escapes it. Not thread-safe.
 */
public final class EventBuffer extends OutputStream {

  /** An event larger than this (a whole tool call, an error) is not kept around for the next one. */
  private static final int KEPT_CAPACITY = 64 * 1024;
  private static final int INITIAL_CAPACITY = 256;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Per ASCII character: 0 written as is, -1 as {@code \}{@code u00XX}, else the letter after a
   * backslash. Jackson's defaults: quote, backslash and control characters only.
   */
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private byte[] bytes = new byte[INITIAL_CAPACITY];
  private int size;

  /** Empties the buffer for the next event. */
  public void reset() {
    size = 0;
    if (bytes.length > KEPT_CAPACITY) {
      bytes = new byte[INITIAL_CAPACITY];
    }
  }

  public int size() {
    return size;
  }

  /** The bytes written since {@link #reset()}, in an array of their exact size. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] source) {
    write(source, 0, source.length);
  }

  @Override
  public void write(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  public void writeBytes(byte[] source) {
    write(source, 0, source.length);
  }

  /**
   * {@code text} as the inside of a JSON string, byte for byte what Jackson's UTF-8 generator
   * writes with default settings: quote, backslash and control characters escaped (short forms
   * where JSON has them, else {@code \}{@code u00XX}), surrogates escaped one by one as {@code
   * \}{@code uXXXX}, everything else as UTF-8.
   */
  public void writeJsonStringContent(String text) {
    ensure(escapedLength(text));
    byte[] out = bytes;
    int at = size;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        if (escape == 0) {
          out[at++] = (byte) c;
        } else if (escape > 0) {
          out[at++] = '\\';
          out[at++] = escape;
        } else {
          at = unicodeEscape(out, at, c);
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        at = unicodeEscape(out, at, c);
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    size = at;
  }

  private static long escapedLength(String text) {
    long length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        byte escape = ESCAPES[c];
        length += escape == 0 ? 1 : escape > 0 ? 2 : 6;
      } else {
        length += c < 0x800 ? 2 : Character.isSurrogate(c) ? 6 : 3;
      }
    }
    return length;
  }

  private static int unicodeEscape(byte[] out, int at, char c) {
    out[at++] = '\\';
    out[at++] = 'u';
    out[at++] = HEX[(c >> 12) & 0xF];
    out[at++] = HEX[(c >> 8) & 0xF];
    out[at++] = HEX[(c >> 4) & 0xF];
    out[at++] = HEX[c & 0xF];
    return at;
  }

  private void ensure(long more) {
    if (more > bytes.length - size) {
      long needed = size + more;
      if (needed > Integer.MAX_VALUE - 16) {
        throw new OutOfMemoryError("event larger than an array can hold");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16, bytes.length * 2L)));
    }
  }
}

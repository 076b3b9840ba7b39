package dev.tollgate.protocol.media;

import java.nio.charset.StandardCharsets;

/**
 * A file inside a larger array, read by offset from the file's first byte. A read past the end
 * answers -1 (or false), never throws: a truncated file is one whose length is unknown, not an
 * error.
 */
record AudioBytes(byte[] body, int start, int end) {

  long size() {
    return end - start;
  }

  int u8(long at) {
    return at >= 0 && at < size() ? body[(int) (start + at)] & 0xFF : -1;
  }

  int u16le(long at) {
    return fits(at, 2) ? u8(at) | u8(at + 1) << 8 : -1;
  }

  long u32le(long at) {
    return fits(at, 4) ? (long) u16le(at) | (long) u16le(at + 2) << 16 : -1;
  }

  /** An unsigned 64-bit value, or -1 when it does not fit a long (no file is that large) or past the end. */
  long u64le(long at) {
    if (!fits(at, 8)) {
      return -1;
    }
    long value = u32le(at) | u32le(at + 4) << 32;
    return value < 0 ? -1 : value;
  }

  int u24be(long at) {
    return fits(at, 3) ? u8(at) << 16 | u8(at + 1) << 8 | u8(at + 2) : -1;
  }

  long u32be(long at) {
    return fits(at, 4) ? (long) u8(at) << 24 | u8(at + 1) << 16 | u8(at + 2) << 8 | u8(at + 3) : -1;
  }

  /** True when the ASCII {@code text} is at {@code at}. */
  boolean has(long at, String text) {
    if (!fits(at, text.length())) {
      return false;
    }
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < ascii.length; i++) {
      if (body[(int) (start + at + i)] != ascii[i]) {
        return false;
      }
    }
    return true;
  }

  boolean fits(long at, long length) {
    return at >= 0 && length >= 0 && at + length <= size();
  }
}

package dev.tollgate.protocol.media;

import java.util.Arrays;

/**
 * Finds one fixed byte string in large arrays (a multipart delimiter in a 25 MB upload):
 * Boyer-Moore-Horspool, which on audio bytes skips nearly the delimiter's length at each step.
 */
final class ByteSearch {

  private final byte[] needle;
  private final int[] shift = new int[256];

  ByteSearch(byte[] needle) {
    if (needle.length == 0) {
      throw new IllegalArgumentException("nothing to search for");
    }
    this.needle = needle.clone();
    Arrays.fill(shift, needle.length);
    for (int i = 0; i < needle.length - 1; i++) {
      shift[needle[i] & 0xFF] = needle.length - 1 - i;
    }
  }

  /** The first index in [from, to) where the needle starts and fits before {@code to}, or -1. */
  int indexOf(byte[] haystack, int from, int to) {
    int last = needle.length - 1;
    byte lastByte = needle[last];
    for (int at = Math.max(from, 0); at <= to - needle.length; ) {
      byte probe = haystack[at + last];
      if (probe == lastByte && matchesAt(haystack, at)) {
        return at;
      }
      at += shift[probe & 0xFF];
    }
    return -1;
  }

  /** True when the needle starts at {@code at} and fits inside the array. */
  boolean startsAt(byte[] haystack, int at) {
    return at >= 0 && at + needle.length <= haystack.length && matchesAt(haystack, at);
  }

  int length() {
    return needle.length;
  }

  private boolean matchesAt(byte[] haystack, int at) {
    for (int i = 0; i < needle.length; i++) {
      if (haystack[at + i] != needle[i]) {
        return false;
      }
    }
    return true;
  }
}

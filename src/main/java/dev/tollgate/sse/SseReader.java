package dev.tollgate.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental SSE parser: accepts bytes in chunks of any size, split anywhere (mid-line,
 * mid-UTF-8 character, between {@code \r} and {@code \n}), and dispatches each event when its
 * blank line arrives. Lines are decoded only once complete. Accepts {@code \n}, {@code \r\n}
 * and {@code \r} line endings; strips one optional space after the colon; ignores unknown fields.
 *
 * <p>One instance per stream; not thread-safe. Memory is bounded by {@code maxEventBytes}.
 */
public final class SseReader {

  /** An event larger than the limit: the stream cannot be relayed safely. */
  public static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(int limit) {
      super("server-sent event larger than " + limit + " bytes");
    }
  }

  private final Consumer<SseEvent> sink;
  private final int maxEventBytes;

  private byte[] buffer = new byte[1024];
  private int length; // bytes held: the current event's, from offset 0
  private int lineStart; // where the line being assembled starts
  private int scanned; // bytes already searched for a line end
  private boolean skipLineFeed; // last chunk ended in \r: a following \n belongs to that line end
  private String eventName;
  private StringBuilder data;

  public SseReader(Consumer<SseEvent> sink, int maxEventBytes) {
    this.sink = sink;
    this.maxEventBytes = maxEventBytes;
  }

  public void feed(byte[] chunk) {
    feed(chunk, 0, chunk.length);
  }

  public void feed(byte[] chunk, int offset, int count) {
    if (count == 0) {
      return;
    }
    if (skipLineFeed) {
      skipLineFeed = false;
      if (chunk[offset] == '\n') {
        append(chunk, offset, 1);
        lineStart++;
        scanned++;
        offset++;
        count--;
      }
    }
    append(chunk, offset, count);
    scanLines();
  }

  /**
   * The stream ended: dispatches what is held (an event whose blank line never came, such as a
   * final {@code data: [DONE]} without one), so nothing received is lost when relaying.
   */
  public void finish() {
    if (length == 0) {
      return;
    }
    if (lineStart < length) {
      line(lineStart, length, length);
    }
    if (length > 0) {
      dispatch(length);
    }
  }

  /** True when a partial event is held (the stream ended mid-event if it closes now). */
  public boolean hasPartialEvent() {
    return length > 0 && !onlyBlankSoFar();
  }

  private boolean onlyBlankSoFar() {
    for (int i = 0; i < length; i++) {
      if (buffer[i] != '\n' && buffer[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private void append(byte[] chunk, int offset, int count) {
    if (length + count > buffer.length) {
      if (length + count > maxEventBytes) {
        throw new EventTooLargeException(maxEventBytes);
      }
      buffer = Arrays.copyOf(buffer, Math.min(maxEventBytes, Math.max(buffer.length * 2, length + count)));
    }
    System.arraycopy(chunk, offset, buffer, length, count);
    length += count;
  }

  private void scanLines() {
    int i = scanned;
    while (i < length) {
      byte b = buffer[i];
      if (b == '\n' || b == '\r') {
        int lineEnd = i;
        int next = i + 1;
        if (b == '\r') {
          if (next < length) {
            if (buffer[next] == '\n') {
              next++;
            }
          } else {
            skipLineFeed = true;
          }
        }
        boolean dispatched = line(lineStart, lineEnd, next);
        if (dispatched) {
          i = 0; // the buffer was compacted: the rest now starts at 0
        } else {
          lineStart = next;
          i = next;
        }
        continue;
      }
      i++;
    }
    scanned = length;
  }

  /** Handles one complete line; returns true when it ended an event (buffer compacted). */
  private boolean line(int start, int end, int next) {
    if (start == end) {
      // A blank line ends the block held so far, whatever it held: comments and keepalives are
      // relayed too, so that concatenating the raw bytes of all events gives back the stream.
      dispatch(next);
      return true;
    }
    if (buffer[start] == ':') {
      return false; // comment
    }
    int colon = -1;
    for (int j = start; j < end; j++) {
      if (buffer[j] == ':') {
        colon = j;
        break;
      }
    }
    String field = new String(buffer, start, (colon < 0 ? end : colon) - start, StandardCharsets.UTF_8);
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && buffer[valueStart] == ' ') {
      valueStart++;
    }
    switch (field) {
      case "data" -> {
        String value = new String(buffer, valueStart, end - valueStart, StandardCharsets.UTF_8);
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event" -> eventName = new String(buffer, valueStart, end - valueStart, StandardCharsets.UTF_8);
      default -> {
        // id:, retry: and unknown fields carry nothing we act on.
      }
    }
    return false;
  }

  private void dispatch(int eventEnd) {
    byte[] raw = Arrays.copyOf(buffer, eventEnd);
    SseEvent event = new SseEvent(raw, eventName, data == null ? null : data.toString());
    int rest = length - eventEnd;
    System.arraycopy(buffer, eventEnd, buffer, 0, rest);
    length = rest;
    lineStart = 0;
    scanned = 0;
    eventName = null;
    data = null;
    sink.accept(event);
  }
}

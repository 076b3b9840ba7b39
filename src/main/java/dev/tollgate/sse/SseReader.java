package dev.tollgate.sse;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental SSE parser: accepts bytes in chunks of any size, split anywhere (mid-line,
 * mid-UTF-8 character, between {@code \r} and {@code \n}), and dispatches each event when its
 * blank line arrives. Lines are decoded only once complete. Accepts {@code \n}, {@code \r\n}
 * and {@code \r} line endings; strips one optional space after the colon; ignores unknown fields.
 *
 * <p>How the bytes arrive never changes the events: each event's {@link SseEvent#raw() raw} bytes
 * are the same whatever the chunking, and concatenating them gives back the stream. Only a relay
 * needs those bytes; a reader made with {@link #withoutRaw} skips them and hands its sink the
 * fields in place, as bytes ({@link SseFields}), so that converting a stream allocates nothing
 * per event here.
 *
 * <p>One instance per stream; not thread-safe. Memory is bounded by {@code maxEventBytes}: only
 * the event being assembled is held, however many events one chunk carries.
 */
public final class SseReader {

  /** An event larger than the limit: the stream cannot be relayed safely. */
  public static final class EventTooLargeException extends RuntimeException {
    EventTooLargeException(int limit) {
      super("server-sent event larger than " + limit + " bytes");
    }
  }

  private final Consumer<SseEvent> sink; // null when raw bytes are not kept
  private final Consumer<SseFields> fieldSink;
  private final int maxEventBytes;
  private final SseFields fields = new SseFields();

  private byte[] buffer = new byte[1024];
  private int length; // bytes held; after each scan the current event starts at offset 0
  private int eventStart; // where the current event starts while a scan dispatches events
  private int lineStart; // where the line being assembled starts
  private int scanned; // bytes already searched for a line end

  /** A reader whose events carry their raw bytes, for relaying a stream byte for byte. */
  public SseReader(Consumer<SseEvent> sink, int maxEventBytes) {
    this(sink, null, maxEventBytes);
  }

  /**
   * A reader for a stream that is parsed, not relayed: no raw bytes, and {@code sink} gets the
   * same {@link SseFields} for every event, valid only during the call.
   */
  public static SseReader withoutRaw(Consumer<SseFields> sink, int maxEventBytes) {
    return new SseReader(null, sink, maxEventBytes);
  }

  private SseReader(Consumer<SseEvent> sink, Consumer<SseFields> fieldSink, int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be positive");
    }
    this.sink = sink;
    this.fieldSink = fieldSink;
    this.maxEventBytes = maxEventBytes;
  }

  public void feed(byte[] chunk) {
    feed(chunk, 0, chunk.length);
  }

  public void feed(byte[] chunk, int offset, int count) {
    while (count > 0) {
      // Slices, so that a chunk carrying many small events never counts as one large event.
      int slice = Math.min(count, maxEventBytes + 1 - length);
      append(chunk, offset, slice);
      scanLines(false);
      offset += slice;
      count -= slice;
    }
  }

  /**
   * The stream ended: dispatches what is held (an event whose blank line never came, such as a
   * final {@code data: [DONE]} without one), so nothing received is lost when relaying.
   */
  public void finish() {
    scanLines(true);
    if (lineStart < length) {
      line(lineStart, length, length);
    }
    if (length > 0) {
      dispatch(length);
      compact();
    }
  }

  /** Bytes of an event not yet complete, held until its blank line arrives. */
  public int heldBytes() {
    return length;
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
      buffer = Arrays.copyOf(buffer, Math.min(maxEventBytes + 1, Math.max(buffer.length * 2, length + count)));
    }
    System.arraycopy(chunk, offset, buffer, length, count);
    length += count;
  }

  private void scanLines(boolean atEnd) {
    int i = scanned;
    while (i < length) {
      byte b = buffer[i];
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      int next = i + 1;
      if (b == '\r') {
        if (next == length && !atEnd) {
          // A \n may follow in the next chunk. Deciding now would end the event before its \n,
          // and the raw bytes would then depend on where the chunks were cut.
          break;
        }
        if (next < length && buffer[next] == '\n') {
          next++;
        }
      }
      line(lineStart, i, next);
      lineStart = next;
      i = next;
    }
    scanned = i;
    compact();
    if (length > maxEventBytes) {
      throw new EventTooLargeException(maxEventBytes);
    }
  }

  /** Moves the unfinished event to the start of the buffer, once per scan rather than per event. */
  private void compact() {
    if (eventStart == 0) {
      return;
    }
    System.arraycopy(buffer, eventStart, buffer, 0, length - eventStart);
    length -= eventStart;
    lineStart -= eventStart;
    scanned -= eventStart;
    eventStart = 0;
  }

  /** Handles one complete line spanning {@code [start, end)}, its line ending up to {@code next}. */
  private void line(int start, int end, int next) {
    if (start == end) {
      // A blank line ends the block held so far, whatever it held: comments and keepalives are
      // relayed too, so that concatenating the raw bytes of all events gives back the stream.
      dispatch(next);
      return;
    }
    if (buffer[start] == ':') {
      return; // comment
    }
    int colon = -1;
    for (int j = start; j < end; j++) {
      if (buffer[j] == ':') {
        colon = j;
        break;
      }
    }
    int nameEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && buffer[valueStart] == ' ') {
      valueStart++;
    }
    // Field names are compared as bytes, and values stay bytes until dispatch.
    if (named(start, nameEnd, DATA)) {
      fields.addDataLine(buffer, valueStart, end - valueStart);
    } else if (named(start, nameEnd, EVENT)) {
      fields.setEvent(buffer, valueStart, end - valueStart);
    }
    // id:, retry: and unknown fields carry nothing we act on.
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

  private boolean named(int start, int end, byte[] name) {
    return end - start == name.length && Arrays.equals(buffer, start, end, name, 0, name.length);
  }

  private void dispatch(int eventEnd) {
    SseEvent event = sink == null ? null
        : new SseEvent(Arrays.copyOfRange(buffer, eventStart, eventEnd), fields.event(), fields.data());
    eventStart = eventEnd;
    try {
      if (sink != null) {
        sink.accept(event);
      } else {
        fieldSink.accept(fields);
      }
    } finally {
      fields.clear();
    }
  }
}

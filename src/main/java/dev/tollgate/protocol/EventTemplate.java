package dev.tollgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stream event whose only varying part is one string (the text of a delta): written once by a
 * JSON generator with an empty string in that slot, and kept as the bytes before and after it.
 * Each event is then those bytes around the escaped text, with no generator, so that its only
 * allocation is its output. The bytes are the generator's own, so they match what writing the
 * event with the generator would give.
 */
public final class EventTemplate {

  /** Writes the event; calls {@code slot.write()} where the string value goes, once. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator json, Slot slot) throws IOException;
  }

  @FunctionalInterface
  public interface Slot {
    void write() throws IOException;
  }

  /** Each kind of character {@link EventBuffer#writeJsonStringContent} treats differently. */
  private static final String PROBE = "a\"\\\n\u0001\u007f/\u00e9\u20ac\u2028\uD83C\uDF0D\uDC00";
  private static final Set<JsonFactory> CHECKED = ConcurrentHashMap.newKeySet();

  private final byte[] before;
  private final byte[] after;

  private EventTemplate(byte[] before, byte[] after) {
    this.before = before;
    this.after = after;
  }

  /** {@code head}, the JSON {@code body} writes with {@code factory}, {@code tail}. */
  public static EventTemplate of(JsonFactory factory, byte[] head, Body body, byte[] tail) {
    checkEscaping(factory);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(head);
    int[] slot = {-1};
    try (JsonGenerator json = factory.createGenerator(out)) {
      body.write(json, () -> {
        if (slot[0] >= 0) {
          throw new IllegalStateException("a template has one slot");
        }
        json.writeString("");
        json.flush();
        slot[0] = out.size() - 1; // between the two quotes
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (slot[0] < 0) {
      throw new IllegalStateException("the template's body wrote no slot");
    }
    out.writeBytes(tail);
    byte[] whole = out.toByteArray();
    return new EventTemplate(Arrays.copyOfRange(whole, 0, slot[0]), Arrays.copyOfRange(whole, slot[0], whole.length));
  }

  /**
   * The text is escaped by {@link EventBuffer}, not by the factory's generator: a factory set to
   * escape otherwise (non-ASCII, slashes, custom escapes) would make events differ from what its
   * generator writes, so that is checked once per factory.
   */
  private static void checkEscaping(JsonFactory factory) {
    if (CHECKED.contains(factory)) {
      return;
    }
    ByteArrayOutputStream generated = new ByteArrayOutputStream();
    try (JsonGenerator json = factory.createGenerator(generated)) {
      json.writeString(PROBE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EventBuffer escaped = new EventBuffer();
    escaped.write('"');
    escaped.writeJsonStringContent(PROBE);
    escaped.write('"');
    if (!Arrays.equals(generated.toByteArray(), escaped.toByteArray())) {
      throw new IllegalArgumentException("this JSON factory escapes strings otherwise than EventBuffer");
    }
    CHECKED.add(factory);
  }

  /** Appends the event with {@code text} in the slot. */
  public void write(EventBuffer out, String text) {
    out.writeBytes(before);
    out.writeJsonStringContent(text);
    out.writeBytes(after);
  }
}

package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What {@link ChatRequestInspector} learned about a chat request, and the targeted edits a
 * passthrough may make to its bytes. Edits splice bytes: key order, number formatting and unknown
 * fields stay exactly as the client sent them.
 *
 * @param clientWantsUsage the client asked for the final usage chunk itself
 */
public record ChatRequestFacts(
    byte[] body,
    int bodyStart,
    int objectStart,
    String model,
    int modelStart,
    int modelEnd,
    boolean stream,
    boolean clientWantsUsage,
    int streamOptionsStart,
    int streamOptionsEnd) {

  private static final byte[] USAGE_ON = "{\"include_usage\":true}".getBytes(StandardCharsets.US_ASCII);

  /**
   * The body to send upstream: the model renamed when mapped, and — for streams — {@code
   * stream_options.include_usage} forced on so that the upstream reports usage (the extra chunk is
   * stripped again for clients that did not ask for it).
   */
  public byte[] upstreamBody(String upstreamModel) {
    boolean renameModel = !upstreamModel.equals(model);
    boolean forceUsage = stream && !clientWantsUsage;
    if (!renameModel && !forceUsage && bodyStart == 0) {
      return body;
    }
    Splicer splicer = new Splicer(body, bodyStart);
    byte[] quotedModel = quoted(upstreamModel);
    if (forceUsage && streamOptionsStart < 0) {
      // Insert a new first member: the object has at least 'model' and 'messages' after it.
      byte[] member = ("\"stream_options\":{\"include_usage\":true},").getBytes(StandardCharsets.US_ASCII);
      splicer.edit(objectStart + 1, objectStart + 1, member);
    }
    // Edits are applied in byte order; the two fields may come in either order.
    if (forceUsage && streamOptionsStart >= 0 && streamOptionsStart < modelStart) {
      splicer.edit(streamOptionsStart, streamOptionsEnd, streamOptionsWithUsage());
    }
    if (renameModel) {
      splicer.edit(modelStart, modelEnd, quotedModel);
    }
    if (forceUsage && streamOptionsStart >= 0 && streamOptionsStart > modelStart) {
      splicer.edit(streamOptionsStart, streamOptionsEnd, streamOptionsWithUsage());
    }
    return splicer.finish();
  }

  /** The client's stream_options with include_usage set to true, other options kept. */
  private byte[] streamOptionsWithUsage() {
    String existing = new String(body, streamOptionsStart, streamOptionsEnd - streamOptionsStart, StandardCharsets.UTF_8).trim();
    if (!existing.startsWith("{")) {
      return USAGE_ON; // it was null
    }
    String inner = existing.substring(1, existing.length() - 1).trim();
    // Put our member last: with duplicate keys the last one wins.
    String merged = inner.isEmpty() ? "{\"include_usage\":true}" : "{" + inner + ",\"include_usage\":true}";
    return merged.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] quoted(String text) {
    byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    byte[] out = new byte[escaped.length + 2];
    out[0] = '"';
    System.arraycopy(escaped, 0, out, 1, escaped.length);
    out[out.length - 1] = '"';
    return out;
  }

  /** Copies a byte array with replaced ranges, given in increasing order. */
  private static final class Splicer {
    private final byte[] source;
    private final ByteArrayOutputStream out;
    private int copied;

    Splicer(byte[] source, int from) {
      this.source = source;
      this.out = new ByteArrayOutputStream(source.length + 64);
      this.copied = from;
    }

    void edit(int start, int end, byte[] replacement) {
      out.write(source, copied, start - copied);
      out.write(replacement, 0, replacement.length);
      copied = end;
    }

    byte[] finish() {
      out.write(source, copied, source.length - copied);
      return out.toByteArray();
    }
  }
}

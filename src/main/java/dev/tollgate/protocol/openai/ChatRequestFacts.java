package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.protocol.PassthroughBody;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link ChatRequestInspector} learned about a chat request, and the targeted edits a
 * passthrough may make to its bytes. Edits splice bytes: key order, number formatting and unknown
 * fields stay exactly as the client sent them.
 *
 * @param clientWantsUsage the client asked for the final usage chunk itself
 * @param maxOutputTokens {@code max_completion_tokens}, else {@code max_tokens}; null when neither is set
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
    int streamOptionsEnd,
    int includeUsageStart,
    int includeUsageEnd,
    Integer maxOutputTokens) implements PassthroughBody {

  private static final byte[] USAGE_ON = ascii("{\"include_usage\":true}");
  private static final byte[] TRUE = ascii("true");

  /**
   * The body to send upstream: the model renamed when mapped, and — for streams — {@code
   * stream_options.include_usage} forced on so that the upstream reports usage (the extra chunk is
   * stripped again for clients that did not ask for it).
   */
  @Override
  public byte[] upstreamBody(String upstreamModel) {
    boolean renameModel = !upstreamModel.equals(model);
    boolean forceUsage = stream && !clientWantsUsage;
    if (!renameModel && !forceUsage && bodyStart == 0) {
      return body;
    }
    List<Edit> edits = new ArrayList<>(2);
    if (renameModel) {
      edits.add(new Edit(modelStart, modelEnd, quoted(upstreamModel)));
    }
    if (forceUsage) {
      edits.add(includeUsageEdit());
    }
    // The fields may come in either order; the splicer needs the edits in byte order.
    edits.sort(Comparator.comparingInt(Edit::start));
    Splicer splicer = new Splicer(body, bodyStart);
    for (Edit edit : edits) {
      splicer.edit(edit.start(), edit.end(), edit.replacement());
    }
    return splicer.finish();
  }

  /**
   * Sets include_usage to true, keeping the client's other stream options byte for byte. An
   * existing include_usage has its value replaced rather than a second key added: some upstream
   * JSON decoders (serde, for one) reject duplicate keys.
   */
  private Edit includeUsageEdit() {
    if (streamOptionsStart < 0) {
      // A new first member: the object has at least 'model' and 'messages' after it.
      return new Edit(objectStart + 1, objectStart + 1, ascii("\"stream_options\":{\"include_usage\":true},"));
    }
    if (body[streamOptionsStart] != '{') {
      return new Edit(streamOptionsStart, streamOptionsEnd, USAGE_ON); // it was null
    }
    if (includeUsageStart >= 0) {
      return new Edit(includeUsageStart, includeUsageEnd, TRUE);
    }
    boolean empty = true;
    for (int i = streamOptionsStart + 1; i < streamOptionsEnd - 1 && empty; i++) {
      empty = body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r';
    }
    int afterBrace = streamOptionsStart + 1;
    return new Edit(afterBrace, afterBrace, ascii(empty ? "\"include_usage\":true" : "\"include_usage\":true,"));
  }

  private record Edit(int start, int end, byte[] replacement) {}

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
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

package dev.tollgate.protocol.media;

import dev.tollgate.protocol.GatewayError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A multipart/form-data body (RFC 7578) read in place: each part is its headers and the offsets
 * of its content in the body the gateway already holds. A 25 MB audio file is never copied to
 * be read; only the small text fields asked for become strings.
 *
 * <p>The body is shared, not copied: no one writes to it once it is parsed.
 */
public final class MultipartForm {

  /** RFC 2046 §5.1.1 caps a boundary at 70 characters. */
  static final int MAX_BOUNDARY = 70;
  /** A part's headers are a few short lines; more than this is not a form the gateway reads. */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final String NOT_MULTIPART = "Content-Type must be multipart/form-data with a boundary";

  /**
   * One part: its content is {@code body[start, end)}.
   *
   * @param filename the name of the file the part carries, or null when it is a plain field
   * @param contentType the part's own Content-Type as written, or null
   */
  public record Part(String name, String filename, String contentType, int start, int end) {

    public int length() {
      return end - start;
    }
  }

  private final byte[] body;
  private final String boundary;
  private final List<Part> parts;
  /** Where the closing delimiter's {@code --boundary--} starts. */
  private final int closingAt;

  private MultipartForm(byte[] body, String boundary, List<Part> parts, int closingAt) {
    this.body = body;
    this.boundary = boundary;
    this.parts = List.copyOf(parts);
    this.closingAt = closingAt;
  }

  /**
   * Reads {@code body} as the form {@code contentTypeHeader} announces.
   *
   * @throws dev.tollgate.protocol.GatewayError.Failure INVALID_REQUEST when the Content-Type is
   *     not multipart/form-data with a boundary, or the body is not a well-formed form
   */
  public static MultipartForm parse(byte[] body, String contentTypeHeader) {
    String boundary = boundary(contentTypeHeader);
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    ByteSearch dashes = new ByteSearch(dashBoundary);
    ByteSearch delimiters = new ByteSearch(delimiter);

    // The first boundary line opens the body or follows a preamble and a CRLF (RFC 2046 §5.1.1).
    int at = dashes.startsAt(body, 0) ? 0 : delimiters.indexOf(body, 0, body.length);
    if (at < 0) {
      throw malformed("it holds no boundary line '--" + boundary + "'");
    }
    if (at > 0) {
      at += 2;
    }
    List<Part> parts = new ArrayList<>();
    while (true) {
      int lineEnd = at + dashBoundary.length;
      if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
        return new MultipartForm(body, boundary, parts, at); // what follows is an epilogue, ignored
      }
      while (lineEnd < body.length && (body[lineEnd] == ' ' || body[lineEnd] == '\t')) {
        lineEnd++; // transport padding
      }
      if (!crlfAt(body, lineEnd)) {
        throw malformed(lineEnd >= body.length
            ? "it ends without its closing boundary '--" + boundary + "--'"
            : "a boundary line is not followed by a line break");
      }
      int ordinal = parts.size() + 1;
      int next = delimiters.indexOf(body, lineEnd, body.length);
      if (next < 0) {
        throw malformed("it ends without its closing boundary '--" + boundary + "--'");
      }
      int headersEnd = headersEnd(body, lineEnd, next);
      if (headersEnd < 0) {
        throw malformed("its part #" + ordinal + " has no blank line after its headers");
      }
      PartHeaders headers = headersEnd == lineEnd
          ? PartHeaders.parse(body, lineEnd, lineEnd, ordinal)
          : PartHeaders.parse(body, lineEnd + 2, headersEnd, ordinal);
      // A part without content may end its blank line with the delimiter's own CRLF (RFC 2046's grammar).
      int contentStart = Math.min(headersEnd + 4, next);
      int contentEnd = next;
      parts.add(new Part(headers.name(), headers.filename(), headers.contentType(), contentStart, contentEnd));
      at = contentEnd + 2;
    }
  }

  /** The body the parts point into. Not a copy: it must not be written to. */
  public byte[] body() {
    return body;
  }

  public String boundary() {
    return boundary;
  }

  /** Every part, in the order of the body. */
  public List<Part> parts() {
    return parts;
  }

  /**
   * The one part named {@code name}.
   *
   * @throws dev.tollgate.protocol.GatewayError.Failure INVALID_REQUEST when the form holds
   *     several: the gateway must read the same one the upstream uses, and servers differ on
   *     which of them that is
   */
  public Optional<Part> part(String name) {
    Part found = null;
    for (Part part : parts) {
      if (part.name().equals(name)) {
        if (found != null) {
          throw MediaFailures.invalid(name, "'" + name + "' is given more than once");
        }
        found = part;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The text of the one part named {@code name}, read as UTF-8 (RFC 7578 §5.1.2); see {@link #part}. */
  public Optional<String> field(String name) {
    return part(name).map(this::text);
  }

  /** A part's content as UTF-8 text. */
  public String text(Part part) {
    return new String(body, part.start(), part.length(), StandardCharsets.UTF_8);
  }

  /**
   * The body with the content of the part named {@code name} set to {@code value}; every other
   * byte stays as it was. A form without that part gets it as a new last part. When the value is
   * already that, the body itself is answered, not a copy.
   *
   * @throws IllegalArgumentException when {@code value} holds this form's delimiter
   */
  public byte[] replacingField(String name, String value) {
    byte[] content = value.getBytes(StandardCharsets.UTF_8);
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    // The content follows a CRLF: a value opening with "--boundary" would end the part there.
    byte[] framed = new byte[content.length + 2];
    framed[0] = '\r';
    framed[1] = '\n';
    System.arraycopy(content, 0, framed, 2, content.length);
    if (new ByteSearch(delimiter).indexOf(framed, 0, framed.length) >= 0) {
      throw new IllegalArgumentException("the value for '" + name + "' holds the form's boundary");
    }
    Optional<Part> existing = part(name);
    if (existing.isPresent()) {
      Part part = existing.get();
      if (part.length() == content.length
          && Arrays.equals(body, part.start(), part.end(), content, 0, content.length)) {
        return body;
      }
      if (!blankLineBefore(part.start())) {
        content = ("\r\n" + value).getBytes(StandardCharsets.UTF_8); // the part had no blank line after its headers
      }
      return spliced(part.start(), part.end(), content);
    }
    // Inserted before the closing delimiter: whatever CRLF precedes it now ends the new part's line.
    byte[] added = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] inserted = new byte[added.length + content.length + 2];
    System.arraycopy(added, 0, inserted, 0, added.length);
    System.arraycopy(content, 0, inserted, added.length, content.length);
    inserted[inserted.length - 2] = '\r';
    inserted[inserted.length - 1] = '\n';
    return spliced(closingAt, closingAt, inserted);
  }

  private boolean blankLineBefore(int at) {
    return at >= 4 && body[at - 4] == '\r' && body[at - 3] == '\n' && body[at - 2] == '\r' && body[at - 1] == '\n';
  }

  private byte[] spliced(int from, int to, byte[] replacement) {
    byte[] result = new byte[body.length - (to - from) + replacement.length];
    System.arraycopy(body, 0, result, 0, from);
    System.arraycopy(replacement, 0, result, from, replacement.length);
    System.arraycopy(body, to, result, from + replacement.length, body.length - to);
    return result;
  }

  /** WHATWG's escaping of a field name in Content-Disposition. */
  private static String quoted(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  /**
   * Where the blank line after a part's headers starts (its CRLF CRLF), searching from the
   * boundary line's CRLF up to the next delimiter, whose CRLF it may share; -1 if none.
   */
  private static int headersEnd(byte[] body, int lineBreak, int delimiter) {
    int limit = Math.min(delimiter - 2, lineBreak + MAX_HEADER_BYTES);
    for (int i = lineBreak; i <= limit; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n' && body[i + 2] == '\r' && body[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean crlfAt(byte[] body, int at) {
    return at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n';
  }

  /** The boundary parameter of a multipart/form-data Content-Type, quoted or not. */
  static String boundary(String contentType) {
    if (contentType == null) {
      throw MediaFailures.invalid(null, NOT_MULTIPART);
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
    if (!type.equalsIgnoreCase("multipart/form-data") || semi < 0) {
      throw MediaFailures.invalid(null, NOT_MULTIPART);
    }
    String boundary = null;
    int i = semi + 1;
    while (i < contentType.length() && boundary == null) {
      int equals = contentType.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String parameter = contentType.substring(i, equals).strip().toLowerCase(Locale.ROOT);
      int valueStart = equals + 1;
      String value;
      if (valueStart < contentType.length() && contentType.charAt(valueStart) == '"') {
        int close = contentType.indexOf('"', valueStart + 1);
        if (close < 0) {
          throw MediaFailures.invalid(null, NOT_MULTIPART + " (its boundary's quote is not closed)");
        }
        value = contentType.substring(valueStart + 1, close);
        int next = contentType.indexOf(';', close);
        i = next < 0 ? contentType.length() : next + 1;
      } else {
        int next = contentType.indexOf(';', valueStart);
        value = contentType.substring(valueStart, next < 0 ? contentType.length() : next).strip();
        i = next < 0 ? contentType.length() : next + 1;
      }
      if (parameter.equals("boundary")) {
        boundary = value;
      }
    }
    if (boundary == null || boundary.isEmpty()) {
      throw MediaFailures.invalid(null, NOT_MULTIPART);
    }
    if (boundary.length() > MAX_BOUNDARY || !printableAscii(boundary)) {
      throw MediaFailures.invalid(null,
          "the multipart boundary must be 1 to " + MAX_BOUNDARY + " printable ASCII characters (RFC 2046)");
    }
    return boundary;
  }

  private static boolean printableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static GatewayError.Failure malformed(String problem) {
    return MediaFailures.invalid(null, "the multipart body is malformed: " + problem);
  }
}

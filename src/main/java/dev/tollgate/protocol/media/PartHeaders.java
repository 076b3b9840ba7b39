package dev.tollgate.protocol.media;

import dev.tollgate.protocol.GatewayError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headers of one part of a multipart/form-data body (RFC 7578 §4): its field name and, for a
 * file, the file's name and media type. Other headers are ignored, as RFC 7578 asks of them.
 *
 * @param filename null when the part is not a file
 * @param contentType the part's Content-Type as written, or null (text/plain, RFC 7578 §4.4)
 */
record PartHeaders(String name, String filename, String contentType) {

  /**
   * Reads the header lines in {@code body[from, to)}, CRLF between them.
   *
   * @param ordinal the part's place in the form, from 1, for the error message
   */
  static PartHeaders parse(byte[] body, int from, int to, int ordinal) {
    // Browsers send non-ASCII file names as raw UTF-8 (WHATWG's form encoding), not RFC 2047 words.
    String block = new String(body, from, to - from, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String line : block.split("\r\n", -1)) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !lines.isEmpty()) {
        lines.set(lines.size() - 1, lines.getLast() + " " + line.strip()); // an obsolete folded line
      } else if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    String disposition = null;
    String contentType = null;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 1) {
        throw malformed(ordinal, "has a header line that is not 'Name: value'");
      }
      String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (header.equals("content-disposition") && disposition == null) {
        disposition = value;
      } else if (header.equals("content-type") && contentType == null) {
        contentType = value;
      }
    }
    if (disposition == null) {
      throw malformed(ordinal, "has no Content-Disposition header");
    }
    return fromDisposition(disposition, contentType == null || contentType.isEmpty() ? null : contentType, ordinal);
  }

  /** {@code form-data; name="file"; filename="a.wav"}: parameters quoted or not, in any order. */
  private static PartHeaders fromDisposition(String value, String contentType, int ordinal) {
    int at = value.indexOf(';');
    String type = (at < 0 ? value : value.substring(0, at)).strip();
    if (!type.equalsIgnoreCase("form-data")) {
      throw malformed(ordinal, "is not form-data (its Content-Disposition is '" + shortened(type) + "')");
    }
    String name = null;
    String filename = null;
    String extendedFilename = null;
    int i = at < 0 ? value.length() : at + 1;
    while (i < value.length()) {
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == ';')) {
        i++;
      }
      int nameStart = i;
      while (i < value.length() && value.charAt(i) != '=' && value.charAt(i) != ';') {
        i++;
      }
      String parameter = value.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
      if (i >= value.length() || value.charAt(i) != '=') {
        continue; // a parameter without a value means nothing here
      }
      i++;
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      StringBuilder parsed = new StringBuilder();
      if (i < value.length() && value.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < value.length()) {
          char c = value.charAt(i++);
          // Only \" and \\ are escapes: browsers do not escape a Windows path's backslashes.
          if (c == '\\' && i < value.length() && (value.charAt(i) == '"' || value.charAt(i) == '\\')) {
            parsed.append(value.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            parsed.append(c);
          }
        }
        if (!closed) {
          throw malformed(ordinal, "has a Content-Disposition with an unclosed quoted value");
        }
      } else {
        int valueStart = i;
        while (i < value.length() && value.charAt(i) != ';') {
          i++;
        }
        parsed.append(value, valueStart, i);
      }
      String text = parsed.toString().strip();
      switch (parameter) {
        case "name" -> name = name == null ? text : name;
        case "filename" -> filename = filename == null ? text : filename;
        case "filename*" -> extendedFilename = extendedFilename == null ? extendedValue(text) : extendedFilename;
        default -> {}
      }
    }
    if (name == null || name.isEmpty()) {
      throw malformed(ordinal, "has no name in its Content-Disposition");
    }
    // RFC 6266 §4.3: a client that sends both means filename* for those that read it.
    return new PartHeaders(name, extendedFilename != null ? extendedFilename : filename, contentType);
  }

  /** RFC 8187's {@code charset'language'percent-encoded}; the raw text when it is not that. */
  private static String extendedValue(String text) {
    int first = text.indexOf('\'');
    int second = first < 0 ? -1 : text.indexOf('\'', first + 1);
    if (second < 0) {
      return text;
    }
    Charset charset;
    try {
      charset = Charset.forName(text.substring(0, first));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = second + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (low >= 0) {
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return text; // not an encoded value after all
      }
    }
    return bytes.toString(charset);
  }

  private static String shortened(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  private static GatewayError.Failure malformed(int ordinal, String problem) {
    return MediaFailures.invalid(null, "the multipart body is malformed: its part #" + ordinal + " " + problem);
  }
}

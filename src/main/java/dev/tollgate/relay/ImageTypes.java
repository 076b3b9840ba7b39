package dev.tollgate.relay;

import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.Set;

/**
 * The image types a fetched URL may hold, read from the {@code Content-Type} header and checked
 * against the first bytes of the body: a server's label alone is not trusted.
 */
final class ImageTypes {

  static final Set<String> ACCEPTED = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  /** Bytes needed to recognise every accepted type (WebP: "RIFF", size, "WEBP"). */
  static final int SNIFF_LENGTH = 12;

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private ImageTypes() {}

  /**
   * The MIME type of a {@code Content-Type} header without its parameters, lower case, with the
   * common misspelling {@code image/jpg} corrected; null when the header is absent or empty.
   */
  static String fromHeader(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return switch (mime) {
      case "" -> null;
      case "image/jpg", "image/pjpeg" -> "image/jpeg";
      default -> mime;
    };
  }

  /** The accepted type the bytes start with, or null when they start like none of them. */
  static String sniff(Buffer head) {
    if (startsWith(head, 0, (byte) 0xff, (byte) 0xd8, (byte) 0xff)) {
      return "image/jpeg";
    }
    if (startsWith(head, 0, PNG)) {
      return "image/png";
    }
    if (startsWith(head, 0, (byte) 'G', (byte) 'I', (byte) 'F', (byte) '8')) {
      return "image/gif";
    }
    if (startsWith(head, 0, (byte) 'R', (byte) 'I', (byte) 'F', (byte) 'F')
        && startsWith(head, 8, (byte) 'W', (byte) 'E', (byte) 'B', (byte) 'P')) {
      return "image/webp";
    }
    return null;
  }

  private static boolean startsWith(Buffer buffer, int at, byte... prefix) {
    if (buffer.length() < at + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buffer.getByte(at + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}

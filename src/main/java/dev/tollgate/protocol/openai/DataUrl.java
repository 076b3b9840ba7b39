package dev.tollgate.protocol.openai;

import dev.tollgate.protocol.GatewayError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * A {@code data:} URL as clients actually send them (protocols.md §6.11): whitespace and newlines
 * inside the payload, {@code image/jpg}, URL-safe base64, missing padding, or no {@code ;base64}
 * at all. Normalised to a MIME type and standard padded base64.
 */
record DataUrl(String mimeType, String base64) {

  static boolean isDataUrl(String url) {
    return url.regionMatches(true, 0, "data:", 0, 5);
  }

  /** The URL for a MIME type and base64 payload. */
  static String of(String mimeType, String base64) {
    return "data:" + (mimeType == null ? "application/octet-stream" : mimeType) + ";base64," + base64;
  }

  /**
   * @param param the request field named when the URL is unusable
   * @throws GatewayError.Failure INVALID_REQUEST naming {@code param}
   */
  static DataUrl parse(String url, String param) {
    int comma = url.indexOf(',');
    if (!isDataUrl(url) || comma < 0) {
      throw invalid(param, "'" + param + "' is not a valid data URL");
    }
    String header = url.substring(5, comma);
    String payload = url.substring(comma + 1);
    boolean base64 = false;
    String mime = "";
    String[] pieces = header.split(";");
    for (int i = 0; i < pieces.length; i++) {
      String piece = pieces[i].strip();
      if (i == 0) {
        mime = piece.toLowerCase(Locale.ROOT);
      } else if (piece.equalsIgnoreCase("base64")) {
        base64 = true;
      }
    }
    String data = base64 ? normaliseBase64(payload, param) : Base64.getEncoder().encodeToString(percentDecoded(payload, param));
    if (data.isEmpty()) {
      throw invalid(param, "'" + param + "' holds an empty data URL");
    }
    return new DataUrl(normaliseMime(mime, data), data);
  }

  /** Strips whitespace, turns URL-safe base64 into standard base64 and restores padding. */
  static String normaliseBase64(String payload, String param) {
    StringBuilder out = new StringBuilder(payload.length() + 3);
    for (int i = 0; i < payload.length(); i++) {
      char c = payload.charAt(i);
      if (c == '-') {
        out.append('+');
      } else if (c == '_') {
        out.append('/');
      } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
        out.append(c);
      } else if (c == '=' || Character.isWhitespace(c)) {
        // padding is recomputed below; whitespace and newlines are noise
      } else if (c == '%' && i + 2 < payload.length() && isEncodedWhitespace(payload, i)) {
        i += 2;
      } else {
        throw invalid(param, "'" + param + "' holds invalid base64");
      }
    }
    if (out.length() % 4 == 1) {
      throw invalid(param, "'" + param + "' holds truncated base64");
    }
    while (out.length() % 4 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  private static boolean isEncodedWhitespace(String payload, int i) {
    String code = payload.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
    return code.equals("0A") || code.equals("0D") || code.equals("20") || code.equals("09");
  }

  /** Percent-decodes to bytes (not via a String: the payload may be binary). */
  private static byte[] percentDecoded(String payload, String param) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length());
    byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '%') {
        out.write(raw[i]);
        continue;
      }
      int high = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int low = high >= 0 ? Character.digit(raw[i + 2], 16) : -1;
      if (low < 0) {
        throw invalid(param, "'" + param + "' holds an invalid percent-encoded data URL");
      }
      out.write(high * 16 + low);
      i += 2;
    }
    return out.toByteArray();
  }

  private static String normaliseMime(String mime, String base64) {
    return switch (mime) {
      case "image/jpg", "image/pjpeg" -> "image/jpeg";
      case "" -> sniff(base64);
      default -> mime;
    };
  }

  /** A MIME type from the first bytes, for data URLs that name none. */
  private static String sniff(String base64) {
    byte[] head;
    try {
      head = Base64.getDecoder().decode(base64.substring(0, Math.min(base64.length(), 16)));
    } catch (IllegalArgumentException e) {
      return "application/octet-stream";
    }
    if (startsWith(head, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(head, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
      return "image/webp";
    }
    if (startsWith(head, '%', 'P', 'D', 'F')) {
      return "application/pdf";
    }
    return "application/octet-stream";
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static GatewayError.Failure invalid(String param, String message) {
    return new GatewayError.Failure(GatewayError.invalid(param, message));
  }
}

package dev.tollgate.channel;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation of the extra headers a channel adds to its upstream requests (an organisation id,
 * OpenRouter's {@code HTTP-Referer}…). They cannot set credentials — the provider's auth headers
 * always win, and the usual credential names are refused here so that an operator learns it at
 * once — nor the headers that frame the request.
 */
public final class ExtraHeaders {

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> REFUSED = Set.of(
      "authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key",
      "host", "content-type", "content-length", "transfer-encoding", "connection", "accept");

  private ExtraHeaders() {}

  /** A validated copy, ordered by name (case-insensitively unique). */
  public static Map<String, String> validated(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers == null) {
      return Map.of();
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey() == null ? "" : header.getKey().strip();
      String value = header.getValue() == null ? "" : header.getValue().strip();
      if (!TOKEN.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not a valid header name");
      }
      if (REFUSED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("the extra header '" + name
            + "' is set by the gateway (credentials come from the channel's keys)");
      }
      if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new IllegalArgumentException("the value of header '" + name + "' contains a line break");
      }
      if (out.put(name, value) != null) {
        throw new IllegalArgumentException("the header '" + name + "' is given twice");
      }
    }
    return Map.copyOf(out);
  }
}

package dev.tollgate.relay;

import io.vertx.core.http.HttpServerRequest;

/**
 * Where clients put their key: {@code Authorization: Bearer KEY} (OpenAI), {@code x-api-key: KEY}
 * (Anthropic), {@code x-goog-api-key: KEY} or {@code ?key=KEY} (Gemini).
 */
final class Credentials {

  private Credentials() {}

  /** The presented key, or null when none was given. */
  static String presentedKey(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null) {
      String value = authorization.strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String key = value.substring(7).strip();
        return key.isEmpty() ? null : key;
      }
    }
    for (String header : new String[] {"x-api-key", "x-goog-api-key"}) {
      String value = request.getHeader(header);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    String query = request.getParam("key"); // Gemini SDKs may put it in the URL; never logged
    return query == null || query.isBlank() ? null : query.strip();
  }
}

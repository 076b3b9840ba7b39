package dev.tollgate.relay;

import io.vertx.core.http.HttpServerRequest;

/** Where clients put their key: {@code Authorization: Bearer KEY} or {@code x-api-key: KEY}. */
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
    String apiKey = request.getHeader("x-api-key");
    return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
  }
}

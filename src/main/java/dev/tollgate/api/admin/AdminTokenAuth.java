package dev.tollgate.api.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The interim admin credential: one bearer token from the configuration ({@code admin.token} /
 * {@code TOLLGATE_ADMIN_TOKEN}), compared in constant time (digests of equal length, compared with
 * {@link MessageDigest#isEqual}). Without a configured token the admin API is off.
 */
public final class AdminTokenAuth implements AdminAuth {

  private static final String BEARER = "Bearer ";

  private final byte[] tokenDigest;

  /** @param token the configured token, or null when none is (the admin API is then off) */
  public AdminTokenAuth(String token) {
    this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.strip());
  }

  @Override
  public Future<Void> check(HttpServerRequest request) {
    if (tokenDigest == null) {
      return refuse(403, "the admin API is off: set admin.token in the config file (or TOLLGATE_ADMIN_TOKEN)"
          + " and send it as 'Authorization: Bearer <token>'");
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return refuse(401, "the admin API needs the admin token: send 'Authorization: Bearer <token>'");
    }
    if (!MessageDigest.isEqual(sha256(header.substring(BEARER.length()).strip()), tokenDigest)) {
      return refuse(403, "the admin token is not valid");
    }
    return Future.succeededFuture();
  }

  private static Future<Void> refuse(int status, String message) {
    return Future.failedFuture(new Refusal(status, message));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

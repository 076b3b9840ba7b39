package dev.tollgate.account;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Session tokens of the management API: HS256 JWTs (java-jwt) carrying the user id and the
 * user's session version. Verification pins HS256 and the issuer, so {@code alg: none}, another
 * algorithm, a wrong signature, an expired token or one from before a password change all fail.
 */
public final class Sessions {

  public static final int MIN_SECRET_BYTES = 32;
  private static final String ISSUER = "tollgate";
  private static final String VERSION = "ver";

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Clock clock;
  private final Duration validity;

  public Sessions(byte[] secret, Clock clock, Duration validity) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the session secret must have at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.algorithm = Algorithm.HMAC256(secret);
    this.clock = clock;
    this.validity = validity;
    this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER)).build(clock);
  }

  public static Sessions withSecret(String secret, Clock clock, Duration validity) {
    return new Sessions(secret.getBytes(StandardCharsets.UTF_8), clock, validity);
  }

  /** A new session for the user, valid for the configured time. */
  public Issued issue(User user) {
    Instant now = clock.instant();
    Instant expires = now.plus(validity);
    String token = JWT.create()
        .withIssuer(ISSUER)
        .withSubject(Long.toString(user.id()))
        .withClaim(VERSION, user.sessionVersion())
        .withIssuedAt(now)
        .withExpiresAt(expires)
        .sign(algorithm);
    return new Issued(token, expires);
  }

  /** The session a token stands for, if its signature, issuer and expiry check out. */
  public Optional<Session> verify(String token) {
    try {
      DecodedJWT jwt = verifier.verify(token);
      Integer version = jwt.getClaim(VERSION).asInt();
      if (version == null || jwt.getSubject() == null) {
        return Optional.empty();
      }
      return Optional.of(new Session(Long.parseLong(jwt.getSubject()), version));
    } catch (JWTVerificationException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A token and when it stops working. */
  public record Issued(String token, Instant expiresAt) {}

  /** Who a valid token speaks for; still to be checked against the user's current session version. */
  public record Session(long userId, int version) {}
}

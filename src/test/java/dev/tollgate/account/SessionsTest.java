package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tollgate.testing.Accounts;
import dev.tollgate.testing.DrivenClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {

  private static final String SECRET = "a-session-secret-of-at-least-32-bytes!!";
  private final DrivenClock clock = new DrivenClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final Sessions sessions = Sessions.withSecret(SECRET, clock, Duration.ofDays(7));
  private final User user = Accounts.user(42, UserStatus.ENABLED, Group.DEFAULT, Set.of());

  @Test
  void aTokenCarriesTheUserAndTheirSessionVersionUntilItExpires() {
    Sessions.Issued issued = sessions.issue(user);

    assertThat(issued.expiresAt()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(sessions.verify(issued.token())).contains(new Sessions.Session(42, 0));

    clock.advance(Duration.ofDays(7).minusSeconds(1));
    assertThat(sessions.verify(issued.token())).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(sessions.verify(issued.token())).as("expired").isEmpty();
  }

  @Test
  void aTamperedPayloadOrSignatureIsRefused() {
    String token = sessions.issue(user).token();
    String[] parts = token.split("\\.");
    String otherUser = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"42\"", "\"1\"")
            .getBytes(StandardCharsets.UTF_8));

    assertThat(sessions.verify(parts[0] + "." + otherUser + "." + parts[2])).isEmpty();
    assertThat(sessions.verify(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A")).isEmpty();
    assertThat(sessions.verify("not-a-token")).isEmpty();
    assertThat(sessions.verify("")).isEmpty();
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRefused() {
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"iss\":\"tollgate\",\"sub\":\"42\",\"ver\":0,\"exp\":" + (clock.instant().getEpochSecond() + 3600) + "}").getBytes());

    assertThat(sessions.verify(header + "." + payload + ".")).isEmpty();
    assertThat(sessions.verify(JWT.create().withIssuer("tollgate").withSubject("42").withClaim("ver", 0)
        .sign(Algorithm.none()))).isEmpty();
  }

  @Test
  void aTokenSignedWithAnotherSecretOrAnotherAlgorithmIsRefused() {
    Sessions other = Sessions.withSecret("another-secret-of-at-least-32-bytes-long", clock, Duration.ofDays(7));
    assertThat(sessions.verify(other.issue(user).token())).isEmpty();

    String hs512 = JWT.create().withIssuer("tollgate").withSubject("42").withClaim("ver", 0)
        .withExpiresAt(clock.instant().plusSeconds(60)).sign(Algorithm.HMAC512(SECRET));
    assertThat(sessions.verify(hs512)).isEmpty();
  }

  @Test
  void aShortSecretIsRefusedAtConstruction() {
    assertThatThrownBy(() -> Sessions.withSecret("short", clock, Duration.ofDays(7)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32");
  }
}

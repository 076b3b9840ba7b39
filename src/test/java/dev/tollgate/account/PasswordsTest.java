package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void hashesAreArgon2idPhcStringsWithOwaspParametersAndAFreshSalt() {
    String first = Passwords.hash("correct horse");
    String second = Passwords.hash("correct horse");

    assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
    assertThat(second).isNotEqualTo(first);
    assertThat(Passwords.matches("correct horse", first)).isTrue();
    assertThat(Passwords.matches("correct horse", second)).isTrue();
  }

  @Test
  void aWrongPasswordOrAMalformedHashDoesNotMatch() {
    String hash = Passwords.hash("correct horse");

    assertThat(Passwords.matches("Correct horse", hash)).isFalse();
    assertThat(Passwords.matches("", hash)).isFalse();
    assertThat(Passwords.matches(null, hash)).isFalse();
    assertThat(Passwords.matches("correct horse", "plain text")).isFalse();
    assertThat(Passwords.matches("correct horse", null)).isFalse();
  }

  @Test
  void passwordsAreSixToTwoHundredFiftySixCharacters() {
    assertThatThrownBy(() -> Passwords.requireAcceptable("password", "12345")).hasMessageContaining("'password'");
    assertThatThrownBy(() -> Passwords.requireAcceptable("password", null)).hasMessageContaining("at least 6");
    assertThatThrownBy(() -> Passwords.requireAcceptable("password", "x".repeat(257))).hasMessageContaining("at most 256");
    Passwords.requireAcceptable("password", "123456");
  }
}

package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeySecretsTest {

  @Test
  void newKeyIsSkFollowedByAtLeast32UrlSafeCharacters() {
    String key = KeySecrets.newKey("sk-");

    assertThat(key).matches("sk-[A-Za-z0-9_-]{32,}");
    assertThatCode(() -> KeySecrets.requireStrong(key, "sk-")).doesNotThrowAnyException();
  }

  @Test
  void newKeysDoNotRepeat() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(KeySecrets.newKey("sk-"));
    }

    assertThat(keys).hasSize(1000);
  }

  @Test
  void hashIsLowercaseHexSha256OfTheKey() throws Exception {
    String key = "sk-0123456789abcdefghijklmnopqrstuvwxyz";
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));

    assertThat(KeySecrets.hash(key)).isEqualTo(expected).matches("[0-9a-f]{64}");
    assertThat(KeySecrets.hash(key)).isNotEqualTo(KeySecrets.hash(key + "x"));
  }

  @Test
  void hashOfAKnownVector() {
    // SHA-256("abc"), FIPS 180-2 appendix B.1
    assertThat(KeySecrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void aConfiguredPrefixMakesKeysThatStartWithItAndShowItInTheirDisplayPrefix() {
    String key = KeySecrets.newKey("tsk-");

    assertThat(key).matches("tsk-[A-Za-z0-9_-]{48}");
    assertThat(KeySecrets.displayPrefix(key)).isEqualTo(key.substring(0, 12));
    assertThatCode(() -> KeySecrets.requireStrong(key, "tsk-")).doesNotThrowAnyException();
    assertThatCode(() -> KeySecrets.requireStrong("sk-0123456789abcdefghijklmnopqr_-AB", "tsk-"))
        .as("keys declared before the prefix changed keep working").doesNotThrowAnyException();
    assertThatThrownBy(() -> KeySecrets.requireStrong("pk-0123456789abcdefghijklmnopqr_-AB", "tsk-"))
        .hasMessageContaining("tsk-");
  }

  @Test
  void displayPrefixIsSkAndEightCharacters() {
    String key = KeySecrets.newKey("sk-");

    assertThat(KeySecrets.displayPrefix(key)).isEqualTo(key.substring(0, 11)).startsWith("sk-");
    assertThat(KeySecrets.displayPrefix("sk-abc")).isEqualTo("sk-abc");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {
      "", "sk-", "sk-short", "sk-0123456789abcdefghijklmnopqrstu", // 31 characters
      "pk-0123456789abcdefghijklmnopqrstuvwxyz", "0123456789abcdefghijklmnopqrstuvwxyz0123",
      "sk-0123456789abcdefghijklmnopqrstuv wxyz", "sk-0123456789abcdefghijklmnopqrstuvwxyz\n",
      "sk-0123456789abcdefghijklmnopqrstuvwxyz\"", "sk-ééééééééééééééééééééééééééééééééé"})
  void weakOrMalformedKeysAreRefused(String key) {
    assertThatThrownBy(() -> KeySecrets.requireStrong(key, "sk-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sk-");
  }

  @Test
  void keyOfExactly32CharactersIsAccepted() {
    assertThatCode(() -> KeySecrets.requireStrong("sk-0123456789abcdefghijklmnopqr_-AB", "sk-")).doesNotThrowAnyException();
  }
}

package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

  @TempDir Path dir;

  private static SecretBox box(int seed) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) seed);
    return new SecretBox(key);
  }

  private TollgateConfig configWithDataDir(Path dataDir) {
    return new ConfigLoader().load(null, Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
  }

  @Test
  void encryptedSecretDecryptsToTheOriginal() {
    SecretBox box = box(1);
    String secret = "sk-provider-héllo-🌍-" + "x".repeat(500);

    assertThat(box.decrypt(box.encrypt(secret))).isEqualTo(secret);
    assertThat(box.decrypt(box.encrypt(""))).isEmpty();
  }

  @Test
  void storedFormIsVersionedAndHidesThePlaintext() {
    String stored = box(1).encrypt("sk-provider-secret");

    assertThat(stored).startsWith("v1:").doesNotContain("sk-provider-secret");
    assertThat(Base64.getDecoder().decode(stored.substring(3))).hasSize(12 + "sk-provider-secret".length() + 16);
  }

  @Test
  void eachEncryptionUsesAFreshNonce() {
    SecretBox box = box(1);

    assertThat(box.encrypt("same")).isNotEqualTo(box.encrypt("same"));
  }

  @Test
  void tamperedCiphertextIsRejected() {
    SecretBox box = box(1);
    byte[] sealed = Base64.getDecoder().decode(box.encrypt("secret").substring(3));
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      String stored = "v1:" + Base64.getEncoder().encodeToString(tampered);

      assertThatThrownBy(() -> box.decrypt(stored)).as("byte %d flipped", i).isInstanceOf(ConfigException.class);
    }
  }

  @Test
  void truncatedOrGarbageStoredFormsAreRejected() {
    SecretBox box = box(1);

    assertThatThrownBy(() -> box.decrypt("v1:")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> box.decrypt("v1:AAAA")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> box.decrypt("v1:not base64!")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> box.decrypt("plain-secret")).isInstanceOf(ConfigException.class).hasMessageContaining("format");
  }

  @Test
  void wrongKeyIsRejected() {
    String stored = box(1).encrypt("secret");

    assertThatThrownBy(() -> box(2).decrypt(stored))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("secret_key");
  }

  @Test
  void keyMustBe32Bytes() {
    assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(ConfigException.class).hasMessageContaining("32");
  }

  @Test
  void configuredKeyIsUsed() {
    byte[] key = new byte[32];
    key[0] = 7;
    String base64 = Base64.getEncoder().encodeToString(key);
    TollgateConfig config = new ConfigLoader().load(null, Map.of("TOLLGATE_SECRET_KEY", base64, "TOLLGATE_DATA_DIR", dir.toString()));

    SecretBox fromConfig = SecretBox.fromConfig(config, false);

    assertThat(new SecretBox(key).decrypt(fromConfig.encrypt("s"))).isEqualTo("s");
    assertThat(dir.resolve("secret.key")).doesNotExist();
  }

  @Test
  void configuredKeyThatIsNotBase64IsAConfigError() {
    TollgateConfig config = new ConfigLoader().load(null, Map.of("TOLLGATE_SECRET_KEY", "%%%"));

    assertThatThrownBy(() -> SecretBox.fromConfig(config, false)).isInstanceOf(ConfigException.class).hasMessageContaining("base64");
  }

  @Test
  void keyFileIsCreatedOwnerOnlyUnderTheDataDirAndReused() throws Exception {
    Path dataDir = dir.resolve("nested/data");
    TollgateConfig config = configWithDataDir(dataDir);

    SecretBox first = SecretBox.fromConfig(config, false);
    Path keyFile = dataDir.resolve("secret.key");

    assertThat(keyFile).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim())).hasSize(32);
    String stored = first.encrypt("provider-key");
    SecretBox second = SecretBox.fromConfig(config, false);
    assertThat(second.decrypt(stored)).isEqualTo("provider-key");
  }

  @Test
  void keyFilesOfTwoDataDirsDiffer() {
    String stored = SecretBox.fromConfig(configWithDataDir(dir.resolve("a")), false).encrypt("provider-key");

    assertThatThrownBy(() -> SecretBox.fromConfig(configWithDataDir(dir.resolve("b")), false).decrypt(stored))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void noKeyIsMadeUpWhenSecretsAreStoredAlready() {
    Path dataDir = dir.resolve("lost");

    assertThatThrownBy(() -> SecretBox.fromConfig(configWithDataDir(dataDir), true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOLLGATE_SECRET_KEY")
        .hasMessageContaining(dataDir.resolve("secret.key").toString());
    assertThat(dataDir.resolve("secret.key")).doesNotExist();
  }
}

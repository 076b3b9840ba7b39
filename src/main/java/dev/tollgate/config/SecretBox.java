package dev.tollgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provider secrets at rest with AES-256-GCM (the JDK's implementation; nothing
 * hand-rolled). Stored form: {@code v1:} + base64(12-byte nonce ‖ ciphertext ‖ tag).
 */
public final class SecretBox {

  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new ConfigException("secret_key must be 32 bytes (base64-encoded), got " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * The configured key ({@code secret_key} / {@code TOLLGATE_SECRET_KEY}, base64), or else the key
   * file under the data directory, created on first use with owner-only permissions.
   *
   * @param secretsStored the database already holds secrets encrypted with some key: a new key
   *     would not open them, so a missing one stops here (the data directory lost while the
   *     database lives elsewhere, say) instead of every request failing later
   */
  public static SecretBox fromConfig(TollgateConfig config, boolean secretsStored) {
    if (config.secretKey() != null && !config.secretKey().isBlank()) {
      return new SecretBox(decodeKey(config.secretKey().trim()));
    }
    Path file = config.dataPath().resolve("secret.key");
    try {
      if (Files.exists(file)) {
        return new SecretBox(decodeKey(Files.readString(file, StandardCharsets.US_ASCII).trim()));
      }
      if (secretsStored) {
        throw new ConfigException("the database holds encrypted channel keys (or users' provider keys) but no secret key is available: set"
            + " secret_key (or TOLLGATE_SECRET_KEY) to the key they were stored with, or restore " + file
            + " (a new key would not decrypt them)");
      }
      Files.createDirectories(config.dataPath());
      byte[] fresh = new byte[32];
      RANDOM.nextBytes(fresh);
      try {
        // Owner-only from the moment it exists: writing first and restricting afterwards would
        // leave the key readable by everyone in between.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
      return new SecretBox(fresh);
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the secret key file " + file, e);
    }
  }

  private static byte[] decodeKey(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("secret_key is not valid base64", e);
    }
  }

  public String encrypt(String plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  public String decrypt(String stored) {
    if (!stored.startsWith(PREFIX)) {
      throw new ConfigException("stored secret has an unknown format");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(
          "cannot decrypt a stored secret: was secret_key changed since it was stored?", e);
    }
  }
}

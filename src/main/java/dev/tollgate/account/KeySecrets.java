package dev.tollgate.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Making and hashing API keys. Keys carry 288 random bits, so a fast unsalted SHA-256 is the
 * right hash: it cannot be brute-forced, and it lets the gateway find a key by its hash with one
 * indexed look-up (a slow password hash would cost milliseconds per request).
 */
public final class KeySecrets {

  public static final String PREFIX = "sk-";
  private static final int RANDOM_BYTES = 36; // 48 URL-safe base64 characters
  private static final int DISPLAY_CHARS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern STRONG = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{32,}");

  private KeySecrets() {}

  public static String newKey() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** One digest per thread: looking the algorithm up costs more than hashing a key (once per request). */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  });

  public static String hash(String key) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** What may be shown of a key later: {@code sk-} and its first characters. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), PREFIX.length() + DISPLAY_CHARS));
  }

  /** Keys given in the config file must be as hard to guess as generated ones. */
  public static void requireStrong(String key) {
    // URL-safe characters only: a key travels in headers and query strings, where spaces,
    // quotes or control characters get trimmed or mangled and the key would never match again.
    if (key == null || !STRONG.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "an API key must be 'sk-' followed by at least 32 characters from A-Z, a-z, 0-9, '-' and '_'");
    }
  }
}

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

  /** The default start of a key ({@code accounts.key_prefix} changes it for new keys). */
  public static final String DEFAULT_PREFIX = "sk-";
  private static final int RANDOM_BYTES = 36; // 48 URL-safe base64 characters
  private static final int DISPLAY_CHARS = 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final int MIN_SECRET_CHARS = 32;

  private KeySecrets() {}

  public static String newKey(String prefix) {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

  /** What may be shown of a key later: its prefix (up to the first '-') and the characters after. */
  public static String displayPrefix(String key) {
    int dash = key.indexOf('-');
    int prefixLength = dash >= 0 && dash < 8 ? dash + 1 : 0;
    return key.substring(0, Math.min(key.length(), prefixLength + DISPLAY_CHARS));
  }

  /**
   * Keys given in the config file must be as hard to guess as generated ones: {@code prefix}
   * ({@code sk-} is always accepted too) followed by at least 32 URL-safe characters.
   */
  public static void requireStrong(String key, String prefix) {
    // URL-safe characters only: a key travels in headers and query strings, where spaces,
    // quotes or control characters get trimmed or mangled and the key would never match again.
    String used = key == null ? null : key.startsWith(prefix) ? prefix : key.startsWith(DEFAULT_PREFIX) ? DEFAULT_PREFIX : null;
    if (used == null
        || key.length() - used.length() < MIN_SECRET_CHARS
        || !URL_SAFE.matcher(key.substring(used.length())).matches()) {
      throw new IllegalArgumentException("an API key must be '" + prefix + "' followed by at least " + MIN_SECRET_CHARS
          + " characters from A-Z, a-z, 0-9, '-' and '_'");
    }
  }
}

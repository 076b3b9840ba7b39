package dev.tollgate.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Password hashing with argon2id (password4j, pure Java), stored as the PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so the parameters travel with each hash
 * and can be raised later without breaking old ones. The parameters are OWASP's minimum for
 * argon2id: 19 MiB of memory, 2 passes, 1 lane. Hashing takes tens of milliseconds on purpose:
 * call it off the event loop.
 */
public final class Passwords {

  public static final int MIN_LENGTH = 6;
  /** Longer inputs only cost hashing time; no human password needs more. */
  public static final int MAX_LENGTH = 256;
  private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID, 19);
  /** A real hash of a random password, checked against when the user does not exist: same cost, same timing. */
  private static final String DUMMY = hash("tollgate-timing-equaliser-" + System.nanoTime());

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }

  public static boolean matches(String password, String storedHash) {
    if (password == null || storedHash == null) {
      return false;
    }
    try {
      return Argon2Function.getInstanceFromHash(storedHash).check(password, storedHash);
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  /** Spends the time a real check would, so a login for an unknown user is not faster than a wrong password. */
  public static void burnCheckTime(String password) {
    matches(password == null ? "" : password, DUMMY);
  }

  /** @throws IllegalArgumentException naming the field when the password is too short or too long */
  public static void requireAcceptable(String field, String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("'" + field + "' must have at least " + MIN_LENGTH + " characters");
    }
    if (password.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("'" + field + "' must have at most " + MAX_LENGTH + " characters");
    }
  }
}

package dev.tollgate.account;

/**
 * Why an account operation cannot be carried out, in words fit for the caller. The management API
 * turns {@link Kind} into an HTTP status.
 */
public final class AccountProblem extends RuntimeException {

  public enum Kind {
    INVALID,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    THROTTLED
  }

  private final Kind kind;
  private final long retryAfterSeconds;

  private AccountProblem(Kind kind, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static AccountProblem of(Kind kind, String message) {
    return new AccountProblem(kind, message, 0);
  }

  public static AccountProblem invalid(String message) {
    return of(Kind.INVALID, message);
  }

  public static AccountProblem notFound(String message) {
    return of(Kind.NOT_FOUND, message);
  }

  public static AccountProblem forbidden(String message) {
    return of(Kind.FORBIDDEN, message);
  }

  public static AccountProblem conflict(String message) {
    return of(Kind.CONFLICT, message);
  }

  public static AccountProblem throttled(long retryAfterSeconds) {
    return new AccountProblem(Kind.THROTTLED,
        "too many failed logins; try again in " + retryAfterSeconds + " s", retryAfterSeconds);
  }

  public Kind kind() {
    return kind;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

package dev.tollgate.limit;

/**
 * The limits one key is held to (from its plan). Zero means no limit of that kind.
 *
 * @param qps requests per second
 * @param rpm requests per minute
 * @param tpm tokens per minute (prompt estimate plus the output a request may produce, at admission)
 * @param maxConcurrent requests in flight at once
 */
public record Limits(long qps, long rpm, long tpm, int maxConcurrent) {

  public static final Limits NONE = new Limits(0, 0, 0, 0);

  public Limits {
    if (qps < 0 || rpm < 0 || tpm < 0 || maxConcurrent < 0) {
      throw new IllegalArgumentException("limits are zero (none) or more");
    }
  }

  public boolean isNone() {
    return qps == 0 && rpm == 0 && tpm == 0 && maxConcurrent == 0;
  }
}

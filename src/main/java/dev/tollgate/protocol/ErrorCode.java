package dev.tollgate.protocol;

import java.util.Locale;

/** The product's error codes and the HTTP status each one carries, whatever the protocol. */
public enum ErrorCode {
  INVALID_REQUEST(400),
  INVALID_API_KEY(401),
  QUOTA_EXCEEDED(402),
  FORBIDDEN(403),
  NOT_FOUND(404),
  MODEL_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TOO_LARGE(413),
  RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  UPSTREAM_ERROR(502),
  NO_AVAILABLE_NODE(503),
  SHUTTING_DOWN(503),
  /** The database does not answer and the request needs it (a key not in cache, say). */
  STORAGE_UNAVAILABLE(503),
  UPSTREAM_TIMEOUT(504);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The code as it appears in error bodies and usage records. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

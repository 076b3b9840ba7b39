package dev.tollgate.api.manage;

/** A request the management API cannot carry out, as the status, error type and message to answer with. */
final class Problem extends RuntimeException {

  private final int status;
  private final String type;

  private Problem(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static Problem invalid(String message) {
    return new Problem(400, "invalid_request_error", message);
  }

  static Problem unauthenticated(String message) {
    return new Problem(401, "authentication_error", message);
  }

  static Problem forbidden(String message) {
    return new Problem(403, "permission_error", message);
  }

  static Problem notFound(String message) {
    return new Problem(404, "not_found_error", message);
  }

  static Problem conflict(String message) {
    return new Problem(409, "conflict_error", message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}

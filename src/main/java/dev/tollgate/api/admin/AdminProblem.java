package dev.tollgate.api.admin;

/** A request the admin API cannot carry out, as the status, error type and message to answer with. */
final class AdminProblem extends RuntimeException {

  private final int status;
  private final String type;

  private AdminProblem(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static AdminProblem invalid(String message) {
    return new AdminProblem(400, "invalid_request_error", message);
  }

  static AdminProblem notFound(String message) {
    return new AdminProblem(404, "not_found_error", message);
  }

  static AdminProblem conflict(String message) {
    return new AdminProblem(409, "invalid_request_error", message);
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}

package dev.tollgate.api.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.AccountProblem;
import dev.tollgate.db.Sql;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management API answers: JSON bodies, and every error as {@code {"error":{"message","type"}}}
 * with the HTTP status telling the kind (400 invalid_request_error, 401 authentication_error, 403
 * permission_error, 404 not_found_error, 409 conflict_error, 429 rate_limit_error, 503/500
 * server_error).
 */
final class Replies {

  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private Replies() {}

  static void json(RoutingContext rc, int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      fail(rc, e);
      return;
    }
    if (!rc.response().ended() && !rc.response().closed()) {
      rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(bytes));
    }
  }

  static void noContent(RoutingContext rc) {
    rc.response().setStatusCode(204).end();
  }

  static void error(RoutingContext rc, int status, String type, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message).put("type", type);
    json(rc, status, body);
  }

  private static void accountProblem(RoutingContext rc, AccountProblem problem) {
    switch (problem.kind()) {
      case INVALID -> error(rc, 400, "invalid_request_error", problem.getMessage());
      case UNAUTHENTICATED -> error(rc, 401, "authentication_error", problem.getMessage());
      case FORBIDDEN -> error(rc, 403, "permission_error", problem.getMessage());
      case NOT_FOUND -> error(rc, 404, "not_found_error", problem.getMessage());
      case CONFLICT -> error(rc, 409, "conflict_error", problem.getMessage());
      case THROTTLED -> {
        rc.response().putHeader("Retry-After", Long.toString(problem.retryAfterSeconds()));
        error(rc, 429, "rate_limit_error", problem.getMessage());
      }
    }
  }

  /** Answers a failure; only the unexpected ones are logged (their messages never hold secrets). */
  static void fail(RoutingContext rc, Throwable err) {
    switch (err) {
      case Problem problem -> error(rc, problem.status(), problem.type(), problem.getMessage());
      case AccountProblem account -> accountProblem(rc, account);
      case IllegalArgumentException invalid -> error(rc, 400, "invalid_request_error", invalid.getMessage());
      case Sql.DataAccessException storage -> {
        LOG.warn("management API {} {}: {}", rc.request().method(), rc.request().path(), storage.getMessage());
        error(rc, 503, "server_error", "the database did not answer; retry shortly");
      }
      default -> {
        LOG.error("management API {} {} failed", rc.request().method(), rc.request().path(), err);
        error(rc, 500, "server_error", "internal error; the gateway logged the details");
      }
    }
  }
}

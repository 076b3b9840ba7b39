package dev.tollgate.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.db.Sql;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Admin API answers: JSON bodies, and errors as {@code {"error":{"message","type"}}}. */
final class AdminReplies {

  private static final Logger LOG = LoggerFactory.getLogger(AdminReplies.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private AdminReplies() {}

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

  /** Answers a failure; only the unexpected ones are logged (their messages never hold secrets). */
  static void fail(RoutingContext rc, Throwable err) {
    switch (err) {
      case AdminProblem problem -> error(rc, problem.status(), problem.type(), problem.getMessage());
      case AdminAuth.Refusal refusal ->
          error(rc, refusal.status(), refusal.status() == 401 ? "authentication_error" : "permission_error", refusal.getMessage());
      case IllegalArgumentException invalid -> error(rc, 400, "invalid_request_error", invalid.getMessage());
      case Sql.DataAccessException storage -> {
        LOG.warn("admin API {} {}: {}", rc.request().method(), rc.request().path(), storage.getMessage());
        error(rc, 503, "server_error", "the database did not answer; retry shortly");
      }
      default -> {
        LOG.error("admin API {} {} failed", rc.request().method(), rc.request().path(), err);
        error(rc, 500, "server_error", "internal error; the gateway logged the details");
      }
    }
  }
}

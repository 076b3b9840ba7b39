package dev.tollgate.api.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.Callable;

/** What every management route does with a request: read its body and parameters, run storage work, answer. */
final class Requests {

  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  private Requests() {}

  /** The JSON object body; a missing, malformed or non-object body is a 400 (never quoting the body: it may hold secrets). */
  static JsonNode body(RoutingContext rc) {
    Buffer buffer = rc.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw Problem.invalid("the request body is empty; send a JSON object");
    }
    JsonNode node;
    try {
      node = Replies.JSON.readTree(buffer.getBytes());
    } catch (IOException e) {
      throw Problem.invalid("the request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw Problem.invalid("the request body must be a JSON object");
    }
    return node;
  }

  /** A numeric path id; anything else reads as "no such thing" ({@code what} names it). */
  static long id(RoutingContext rc, String what) {
    try {
      return Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      throw Problem.invalid("a " + what + " id is a number");
    }
  }

  /** {@code ?page=} and {@code ?pageSize=}: whole numbers from 1 (page size at most {@value #MAX_PAGE_SIZE}). */
  static Page page(RoutingContext rc) {
    return new Page(positive(rc, "page", 1, Integer.MAX_VALUE), positive(rc, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
  }

  static int positive(RoutingContext rc, String name, int fallback, int max) {
    String value = rc.request().getParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed >= 1 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.invalid("'" + name + "' must be a whole number from 1 to " + max);
  }

  /** Runs storage (or hashing) work on a worker thread; the future completes back on the request's event loop. */
  static <T> Future<T> blocking(RoutingContext rc, Callable<T> work) {
    return rc.vertx().executeBlocking(work, false);
  }

  static <T> void reply(RoutingContext rc, int status, Future<T> answer) {
    answer.onSuccess(body -> Replies.json(rc, status, body)).onFailure(err -> Replies.fail(rc, err));
  }

  /** A handler whose bad input (thrown before any storage work) is answered, not turned into a 500. */
  static Handler<RoutingContext> answering(Handler<RoutingContext> handler) {
    return rc -> {
      try {
        handler.handle(rc);
      } catch (RuntimeException e) {
        Replies.fail(rc, e);
      }
    };
  }

  /** A page of a list: 1-based page number and its size. */
  record Page(int page, int size) {
    long offset() {
      return (long) (page - 1) * size;
    }

    /**
     * {@code {"data":[…],"page","pageSize","total"}}: the rows of this page, fetched only when the
     * page starts before the end (a page past the end is empty, with the true total).
     */
    com.fasterxml.jackson.databind.node.ObjectNode answer(long total,
        java.util.function.BiFunction<Integer, Integer, java.util.List<? extends JsonNode>> rows) {
      com.fasterxml.jackson.databind.node.ObjectNode answer = Replies.JSON.createObjectNode();
      com.fasterxml.jackson.databind.node.ArrayNode data = answer.putArray("data");
      if (offset() < total) {
        data.addAll(rows.apply((int) offset(), size));
      }
      return answer.put("page", page).put("pageSize", size).put("total", total);
    }
  }

  /** A query parameter, stripped; null when absent or blank. */
  static String queryText(RoutingContext rc, String name) {
    String value = rc.request().getParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A whole-number query parameter; null when absent. */
  static Long queryNumber(RoutingContext rc, String name) {
    String value = queryText(rc, name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw Problem.invalid("'" + name + "' must be a number");
    }
  }

  /**
   * Whose {@code what} a read covers: the caller's own, or for an admin everyone's unless
   * {@code ?user=} names one account (null: everyone's).
   */
  static Long accountScope(RoutingContext rc, String what) {
    Principal principal = ManagementAuth.principal(rc);
    Long asked = queryNumber(rc, "user");
    if (!principal.isAdmin()) {
      if (asked != null && asked != principal.userId()) {
        throw Problem.forbidden("only an admin reads another account's " + what);
      }
      return principal.userId();
    }
    return asked;
  }
}

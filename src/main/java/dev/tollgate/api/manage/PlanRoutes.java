package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.limit.Limits;
import dev.tollgate.limit.Plan;
import dev.tollgate.limit.PlanBook;
import dev.tollgate.limit.PlanRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/plan}: the rate-limit plans. Anyone logged in reads them; admins create, change and
 * delete them (by name). Changes reach the relay at once on this node, within a second elsewhere.
 */
public final class PlanRoutes implements ManagementRoutes {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Set<String> FIELDS = Set.of("id", "name", "qps", "rpm", "tpm", "maxConcurrent");

  private final PlanRepository plans;
  private final PlanBook book;

  public PlanRoutes(PlanRepository plans, PlanBook book) {
    this.plans = plans;
    this.book = book;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/plan").handler(answering(this::list));
    // The admin guard is a route of its own, ahead of the body handler: a non-admin's upload is never read.
    router.put("/api/plan/:name").handler(ManagementAuth::adminOnly);
    router.delete("/api/plan/:name").handler(ManagementAuth::adminOnly);
    router.put("/api/plan/:name").handler(body).handler(answering(this::put));
    router.delete("/api/plan/:name").handler(answering(this::delete));
  }

  private void list(RoutingContext rc) {
    reply(rc, 200, blocking(rc, () -> {
      ObjectNode answer = Replies.JSON.createObjectNode();
      var data = answer.putArray("data");
      plans.list().forEach(plan -> data.add(view(plan)));
      return answer;
    }));
  }

  private void put(RoutingContext rc) {
    String name = rc.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw Problem.invalid("a plan's name is 1 to 64 characters from a-z, 0-9, '-' and '_'");
    }
    JsonNode body = body(rc);
    UserJson.onlyFields(body, FIELDS);
    blocking(rc, () -> {
      Optional<Plan> current = plans.findByName(name);
      Limits now = current.map(Plan::limits).orElse(Limits.NONE);
      Limits limits;
      try {
        limits = new Limits(field(body, "qps", now.qps()), field(body, "rpm", now.rpm()), field(body, "tpm", now.tpm()),
            (int) Math.min(Integer.MAX_VALUE, field(body, "maxConcurrent", now.maxConcurrent())));
      } catch (IllegalArgumentException e) {
        throw Problem.invalid("'qps', 'rpm', 'tpm' and 'maxConcurrent' are whole numbers, 0 for no limit");
      }
      Plan saved = plans.put(name, limits);
      book.reload();
      return new Object[] {current.isEmpty(), saved};
    }).onSuccess(result -> Replies.json(rc, (Boolean) result[0] ? 201 : 200, view((Plan) result[1])))
        .onFailure(err -> Replies.fail(rc, err));
  }

  private void delete(RoutingContext rc) {
    String name = rc.pathParam("name");
    blocking(rc, () -> {
      Plan plan = plans.findByName(name).orElseThrow(() -> Problem.notFound("there is no plan '" + name + "'"));
      long members = plans.members(plan.id());
      if (members > 0) {
        throw Problem.conflict("the plan '" + name + "' is given to " + members + " keys or users; move them first");
      }
      plans.delete(plan.id());
      book.reload();
      return null;
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  private static long field(JsonNode body, String name, long current) {
    if (!body.has(name)) {
      return current;
    }
    Long value = UserJson.whole(body, name);
    if (value == null || value < 0) {
      throw Problem.invalid("'" + name + "' must be a whole number, 0 for no limit");
    }
    return value;
  }

  private static ObjectNode view(Plan plan) {
    return Replies.JSON.createObjectNode()
        .put("id", plan.id())
        .put("name", plan.name())
        .put("qps", plan.limits().qps())
        .put("rpm", plan.limits().rpm())
        .put("tpm", plan.limits().tpm())
        .put("maxConcurrent", plan.limits().maxConcurrent());
  }
}

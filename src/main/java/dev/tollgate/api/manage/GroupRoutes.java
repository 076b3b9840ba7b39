package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.Group;
import dev.tollgate.account.GroupRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.util.Set;

/**
 * {@code /api/group} (admins): caller groups with the models they may use and their price ratio.
 * Changes reach the relay within a second (keys re-read their owner's group on that cadence).
 */
public final class GroupRoutes implements ManagementRoutes {

  private final GroupRepository groups;

  public GroupRoutes(GroupRepository groups) {
    this.groups = groups;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.route("/api/group*").handler(ManagementAuth::adminOnly);
    router.get("/api/group").handler(answering(this::list));
    router.post("/api/group").handler(body).handler(answering(this::create));
    router.get("/api/group/:name").handler(answering(this::one));
    router.put("/api/group/:name").handler(body).handler(answering(this::update));
    router.delete("/api/group/:name").handler(answering(this::delete));
  }

  private void list(RoutingContext rc) {
    reply(rc, 200, blocking(rc, () -> {
      ObjectNode answer = Replies.JSON.createObjectNode();
      ArrayNode data = answer.putArray("data");
      for (Group group : groups.list()) {
        data.add(view(group, groups.members(group.name())));
      }
      return answer;
    }));
  }

  private void one(RoutingContext rc) {
    String name = rc.pathParam("name");
    reply(rc, 200, blocking(rc, () -> view(existing(name), groups.members(name))));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    Group group = parse(body, UserJson.text(body, "name"), null);
    reply(rc, 201, blocking(rc, () -> {
      if (groups.find(group.name()).isPresent()) {
        throw Problem.conflict("a group named '" + group.name() + "' exists already");
      }
      return view(groups.save(group), 0);
    }));
  }

  private void update(RoutingContext rc) {
    String name = rc.pathParam("name");
    JsonNode body = body(rc);
    reply(rc, 200, blocking(rc, () -> {
      Group saved = groups.save(parse(body, name, existing(name)));
      return view(saved, groups.members(name));
    }));
  }

  private void delete(RoutingContext rc) {
    String name = rc.pathParam("name");
    blocking(rc, () -> {
      existing(name);
      if (Group.DEFAULT.equals(name)) {
        throw Problem.conflict("the group 'default' is where new users go; it cannot be deleted");
      }
      long members = groups.members(name);
      if (members > 0) {
        throw Problem.conflict("the group '" + name + "' has " + members + " users; move them to another group first");
      }
      return groups.delete(name);
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  private Group existing(String name) {
    return groups.find(name).orElseThrow(() -> Problem.notFound("there is no group '" + name + "'"));
  }

  /** A group from the body; fields left out keep {@code current}'s values (or defaults for a new one). */
  private static Group parse(JsonNode body, String name, Group current) {
    UserJson.onlyFields(body, Set.of("name", "description", "models", "priceRatio"));
    if (current != null && UserJson.text(body, "name") != null && !name.equals(UserJson.text(body, "name"))) {
      throw Problem.invalid("a group cannot be renamed; create another and move its users");
    }
    String description = body.has("description") ? UserJson.text(body, "description")
        : current == null ? null : current.description();
    Set<String> models = body.has("models") ? orEmpty(UserJson.stringSet(body, "models"))
        : current == null ? Set.of() : current.models();
    BigDecimal ratio = body.has("priceRatio") ? ratio(body.get("priceRatio"))
        : current == null ? BigDecimal.ONE : current.priceRatio();
    return new Group(name, description, models, ratio);
  }

  private static Set<String> orEmpty(Set<String> values) {
    return values == null ? Set.of() : values;
  }

  /** A ratio as a JSON number or a decimal string ("0.8"); {@link Group} checks its bounds. */
  private static BigDecimal ratio(JsonNode value) {
    try {
      if (value.isNumber()) {
        return value.decimalValue();
      }
      if (value.isTextual()) {
        return new BigDecimal(value.asText().strip());
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.invalid("'priceRatio' must be a decimal from 0 to 1000, such as 1 or 0.8");
  }

  private static ObjectNode view(Group group, long members) {
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("name", group.name())
        .put("description", group.description())
        .put("priceRatio", group.priceRatio().toPlainString())
        .put("members", members);
    ArrayNode models = json.putArray("models");
    group.models().stream().sorted().forEach(models::add);
    return json;
  }
}

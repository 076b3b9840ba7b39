package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.account.ApiKey;
import dev.tollgate.account.ApiKeyRepository;
import dev.tollgate.account.KeyService;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.account.UserRepository;
import dev.tollgate.account.UserStatus;
import dev.tollgate.limit.PlanRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code /api/token}: a user's API keys — list, create (the full key is in that answer only),
 * read, change, delete. Users see their own keys; someone else's key is a 404, as if it did not
 * exist, so ids cannot be probed. Admins see every key and may make keys for other users.
 */
public final class TokenRoutes implements ManagementRoutes {

  private static final String TOKEN_ID = "/api/token/(?<id>[0-9]+)";

  private final KeyService keyService;
  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final PlanRepository plans;

  public TokenRoutes(KeyService keyService, ApiKeyRepository keys, UserRepository users, PlanRepository plans) {
    this.keyService = keyService;
    this.keys = keys;
    this.users = users;
    this.plans = plans;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/token").handler(answering(this::list));
    router.post("/api/token").handler(body).handler(answering(this::create));
    router.getWithRegex(TOKEN_ID).handler(answering(this::one));
    router.putWithRegex(TOKEN_ID).handler(body).handler(answering(this::update));
    router.deleteWithRegex(TOKEN_ID).handler(answering(this::delete));
  }

  private void list(RoutingContext rc) {
    Requests.Page page = Requests.page(rc);
    Principal principal = ManagementAuth.principal(rc);
    Long owner = principal.isAdmin() ? userFilter(rc) : Long.valueOf(principal.userId());
    reply(rc, 200, blocking(rc, () -> page.answer(keys.count(owner),
        (offset, limit) -> keys.list(owner, offset, limit).stream().map(TokenJson::view).toList())));
  }

  private void one(RoutingContext rc) {
    long id = Requests.id(rc, "API key");
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> TokenJson.view(visible(principal, id))));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    Principal principal = ManagementAuth.principal(rc);
    KeyService.Settings settings = TokenJson.settings(body, null);
    requirePlanRights(principal, settings.planId(), null);
    Long forUser = UserJson.whole(body, "userId");
    if (forUser != null && forUser != principal.userId() && !principal.isAdmin()) {
      throw Problem.forbidden("only admins make keys for other users");
    }
    long owner = forUser == null ? principal.userId() : forUser;
    reply(rc, 201, blocking(rc, () -> {
      if (users.findById(owner).filter(user -> user.status() != UserStatus.DELETED).isEmpty()) {
        throw Problem.invalid("'userId': there is no user " + owner);
      }
      requirePlan(settings.planId());
      KeyService.CreatedKey created = keyService.create(owner, settings);
      return Replies.JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set(
          "apiKey", TokenJson.view(created.stored())).put("key", created.key());
    }));
  }

  private void update(RoutingContext rc) {
    long id = Requests.id(rc, "API key");
    JsonNode body = body(rc);
    KeyStatus status = TokenJson.status(body);
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> {
      ApiKey current = visible(principal, id);
      KeyService.Settings settings = TokenJson.settings(body, KeyService.Settings.of(current));
      requirePlanRights(principal, settings.planId(), current.planId());
      if (!java.util.Objects.equals(settings.planId(), current.planId())) {
        requirePlan(settings.planId());
      }
      return TokenJson.view(keyService.update(current, settings, status == null ? current.status() : status));
    }));
  }

  private void delete(RoutingContext rc) {
    long id = Requests.id(rc, "API key");
    Principal principal = ManagementAuth.principal(rc);
    blocking(rc, () -> {
      visible(principal, id);
      return keyService.setStatus(id, KeyStatus.DELETED);
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** The key, if the caller may see it: their own, or any for an admin. Otherwise as if it did not exist. */
  private ApiKey visible(Principal principal, long id) {
    return keys.findVisible(id)
        .filter(key -> key.userId() == principal.userId() || principal.isAdmin())
        .orElseThrow(() -> Problem.notFound("there is no API key " + id));
  }

  private void requirePlan(Long planId) {
    if (planId != null && !plans.exists(planId)) {
      throw Problem.invalid("'planId': there is no plan " + planId + " (GET /api/plan lists them)");
    }
  }

  /** Plans set limits the account pays for with its plan: only admins choose them. */
  private static void requirePlanRights(Principal principal, Long planId, Long currentPlanId) {
    if (!principal.isAdmin() && !java.util.Objects.equals(planId, currentPlanId)) {
      throw Problem.forbidden("only admins set a key's plan ('planId')");
    }
  }

  /** {@code ?userId=}: an admin's filter; absent = every user's keys. */
  private static Long userFilter(RoutingContext rc) {
    String value = rc.request().getParam("userId");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw Problem.invalid("'userId' must be a user id");
    }
  }
}

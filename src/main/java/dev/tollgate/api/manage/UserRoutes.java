package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.account.AccountService;
import dev.tollgate.account.Role;
import dev.tollgate.account.UserAdministration;
import dev.tollgate.account.UserStatus;
import dev.tollgate.limit.PlanRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * {@code /api/user}: registration, login and the caller's own account for everyone; listing,
 * creating, changing, disabling and deleting users for admins.
 */
public final class UserRoutes implements ManagementRoutes {

  private static final String USER_ID = "/api/user/(?<id>[0-9]+)";

  private final AccountService accounts;
  private final UserAdministration admin;
  private final Set<String> providerKinds;
  private final PlanRepository plans;

  /** @param providerKinds the provider kinds a routing policy may name */
  public UserRoutes(AccountService accounts, UserAdministration admin, Set<String> providerKinds, PlanRepository plans) {
    this.accounts = accounts;
    this.admin = admin;
    this.providerKinds = Set.copyOf(providerKinds);
    this.plans = plans;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.post("/api/user/register").handler(body).handler(answering(this::register));
    router.post("/api/user/login").handler(body).handler(answering(this::login));
    router.get("/api/user/self").handler(answering(this::self));
    router.put("/api/user/self").handler(body).handler(answering(this::updateSelf));

    // The admin guard is a route of its own, ahead of the body handler: a non-admin's upload is never read.
    router.route("/api/user").handler(ManagementAuth::adminOnly);
    router.routeWithRegex(USER_ID + "(?:/.*)?").handler(ManagementAuth::adminOnly);
    router.get("/api/user").handler(answering(this::list));
    router.post("/api/user").handler(body).handler(answering(this::create));
    router.getWithRegex(USER_ID).handler(answering(this::one));
    router.putWithRegex(USER_ID).handler(body).handler(answering(this::update));
    router.deleteWithRegex(USER_ID).handler(answering(this::delete));
    router.postWithRegex(USER_ID + "/disable").handler(answering(rc -> status(rc, UserStatus.DISABLED)));
    router.postWithRegex(USER_ID + "/enable").handler(answering(rc -> status(rc, UserStatus.ENABLED)));
  }

  private void register(RoutingContext rc) {
    AccountService.Registration form = UserJson.registration(onlySelfFields(body(rc)));
    reply(rc, 201, blocking(rc, () -> UserJson.loggedIn(accounts.register(form))));
  }

  private void login(RoutingContext rc) {
    JsonNode body = body(rc);
    UserJson.onlyFields(body, Set.of("username", "password"));
    String username = UserJson.text(body, "username");
    String password = UserJson.text(body, "password");
    if (username == null || password == null) {
      throw Problem.invalid("'username' and 'password' are required");
    }
    String address = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
    reply(rc, 200, blocking(rc, () -> UserJson.loggedIn(accounts.login(username, password, address))));
  }

  private void self(RoutingContext rc) {
    Replies.json(rc, 200, UserJson.view(ManagementAuth.principal(rc).user()));
  }

  private void updateSelf(RoutingContext rc) {
    AccountService.SelfUpdate change = UserJson.selfUpdate(body(rc));
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> UserJson.view(accounts.updateSelf(principal.user(), change))));
  }

  private void list(RoutingContext rc) {
    Requests.Page page = Requests.page(rc);
    String search = rc.request().getParam("search");
    reply(rc, 200, blocking(rc, () -> page.answer(admin.count(search),
        (offset, limit) -> admin.list(search, offset, limit).stream().map(UserJson::view).toList())));
  }

  private void one(RoutingContext rc) {
    long id = Requests.id(rc, "user");
    reply(rc, 200, blocking(rc, () -> UserJson.view(admin.get(id))));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    AccountService.Registration form = UserJson.registration(body);
    Role role = UserJson.text(body, "role") == null ? Role.USER : Role.parse(UserJson.text(body, "role"));
    String group = UserJson.text(body, "group");
    Long quota = UserJson.whole(body, "quota");
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 201, blocking(rc, () -> UserJson.view(admin.create(principal.user(), form, role, group, quota))));
  }

  private void update(RoutingContext rc) {
    long id = Requests.id(rc, "user");
    JsonNode body = body(rc);
    UserJson.onlyFields(body, Set.of("displayName", "email", "password", "role", "status", "group", "quotaDelta",
        "reason", "allowedProviders", "allowedModels", "planId"));
    String status = UserJson.text(body, "status");
    UserAdministration.AdminUpdate change = new UserAdministration.AdminUpdate(
        UserJson.text(body, "displayName"),
        UserJson.text(body, "email"),
        UserJson.text(body, "password"),
        UserJson.text(body, "role") == null ? null : Role.parse(UserJson.text(body, "role")),
        status == null ? null : parseStatus(status),
        UserJson.text(body, "group"),
        UserJson.whole(body, "quotaDelta"),
        UserJson.text(body, "reason"),
        knownProviders(UserJson.stringSet(body, "allowedProviders")),
        UserJson.stringSet(body, "allowedModels"),
        UserJson.whole(body, "planId"));
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> {
      if (change.planId() != null && change.planId() != 0 && !plans.exists(change.planId())) {
        throw Problem.invalid("'planId': there is no plan " + change.planId() + " (0 takes the plan away)");
      }
      return UserJson.view(admin.update(principal.user(), id, change));
    }));
  }

  private Set<String> knownProviders(Set<String> named) {
    if (named != null) {
      for (String provider : named) {
        if (!providerKinds.contains(provider)) {
          throw Problem.invalid("'allowedProviders': unknown provider '" + provider + "'; known: "
              + providerKinds.stream().sorted().toList());
        }
      }
    }
    return named;
  }

  private void status(RoutingContext rc, UserStatus status) {
    long id = Requests.id(rc, "user");
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> UserJson.view(admin.setStatus(principal.user(), id, status))));
  }

  private void delete(RoutingContext rc) {
    long id = Requests.id(rc, "user");
    Principal principal = ManagementAuth.principal(rc);
    blocking(rc, () -> {
      admin.delete(principal.user(), id);
      return id;
    }).onSuccess(deleted -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** A self-registration cannot choose its role, group or quota. */
  private static JsonNode onlySelfFields(JsonNode body) {
    UserJson.onlyFields(body, Set.of("username", "password", "email", "displayName", "inviteCode"));
    return body;
  }

  private static UserStatus parseStatus(String value) {
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "enabled" -> UserStatus.ENABLED;
      case "disabled" -> UserStatus.DISABLED;
      default -> throw Problem.invalid("'status' must be enabled or disabled");
    };
  }
}

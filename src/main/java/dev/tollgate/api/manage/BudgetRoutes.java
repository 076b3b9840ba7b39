package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.UserRepository;
import dev.tollgate.account.UserStatus;
import dev.tollgate.billing.Budget;
import dev.tollgate.billing.BudgetBook;
import dev.tollgate.billing.BudgetRepository;
import dev.tollgate.billing.Money;
import dev.tollgate.usage.Attribution;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/budget}: caps on what the requests an account tags with one workflow
 * ({@code x-workflow-tag}) or one project ({@code x-project}) may cost per day or month. Users
 * manage their own; admins anyone's ({@code ?user=} to list one account's, {@code userId} to create
 * for one). Another account's budget reads as not existing. Changes apply at once on this node.
 */
public final class BudgetRoutes implements ManagementRoutes {

  private static final Set<String> CREATE_FIELDS = Set.of("dimension", "name", "period", "limit", "userId");
  private static final Set<String> UPDATE_FIELDS = Set.of("limit");

  private final BudgetRepository repository;
  private final BudgetBook book;
  private final UserRepository users;
  private final Clock clock;

  public BudgetRoutes(BudgetRepository repository, BudgetBook book, UserRepository users, Clock clock) {
    this.repository = repository;
    this.book = book;
    this.users = users;
    this.clock = clock;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/budget").handler(answering(this::list));
    router.post("/api/budget").handler(body).handler(answering(this::create));
    router.get("/api/budget/:id").handler(answering(this::read));
    router.put("/api/budget/:id").handler(body).handler(answering(this::update));
    router.delete("/api/budget/:id").handler(answering(this::delete));
  }

  private void list(RoutingContext rc) {
    Long owner = Requests.accountScope(rc, "budgets");
    reply(rc, 200, blocking(rc, () -> {
      List<Budget> budgets = owner == null ? repository.list() : repository.listFor(owner);
      ObjectNode answer = Replies.JSON.createObjectNode();
      var data = answer.putArray("data");
      Instant now = clock.instant();
      budgets.forEach(budget -> data.add(view(budget, now)));
      return answer;
    }));
  }

  private void read(RoutingContext rc) {
    long id = Requests.id(rc, "budget");
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> view(visible(principal, id), clock.instant())));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    UserJson.onlyFields(body, CREATE_FIELDS);
    Principal principal = ManagementAuth.principal(rc);
    Long forUser = UserJson.whole(body, "userId");
    if (forUser != null && forUser != principal.userId() && !principal.isAdmin()) {
      throw Problem.forbidden("only admins set budgets for other accounts");
    }
    long owner = forUser == null ? principal.userId() : forUser;
    Budget.Dimension dimension = parsed(() -> Budget.Dimension.parse(UserJson.text(body, "dimension")));
    Budget.Period period = parsed(() -> Budget.Period.parse(UserJson.text(body, "period")));
    String name = name(body);
    long limit = limit(body);
    reply(rc, 201, blocking(rc, () -> {
      if (users.findById(owner).filter(user -> user.status() != UserStatus.DELETED).isEmpty()) {
        throw Problem.invalid("'userId': there is no user " + owner);
      }
      if (repository.exists(owner, dimension, name, period)) {
        throw Problem.conflict("there is a " + period.wireName() + " budget for " + dimension.wireName() + " '" + name
            + "' already; change its limit instead");
      }
      Budget created = repository.create(owner, dimension, name, period, limit);
      book.reload();
      return view(created, clock.instant());
    }));
  }

  private void update(RoutingContext rc) {
    long id = Requests.id(rc, "budget");
    JsonNode body = body(rc);
    UserJson.onlyFields(body, UPDATE_FIELDS);
    long limit = limit(body);
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> {
      visible(principal, id);
      Budget changed = repository.changeLimit(id, limit);
      book.reload();
      return view(changed, clock.instant());
    }));
  }

  private void delete(RoutingContext rc) {
    long id = Requests.id(rc, "budget");
    Principal principal = ManagementAuth.principal(rc);
    blocking(rc, () -> {
      visible(principal, id);
      repository.delete(id);
      book.reload();
      return null;
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** The budget when the caller may see it; otherwise the same 404 as an id that does not exist. */
  private Budget visible(Principal principal, long id) {
    return repository.find(id)
        .filter(budget -> budget.userId() == principal.userId() || principal.isAdmin())
        .orElseThrow(() -> Problem.notFound("there is no budget " + id));
  }

  private static String name(JsonNode body) {
    String name = UserJson.text(body, "name");
    if (name == null || name.isBlank()) {
      throw Problem.invalid("'name' is the workflow tag or project the budget caps");
    }
    String stripped = name.strip();
    String problem = Attribution.problem(stripped);
    if (problem != null) {
      throw Problem.invalid("'name'" + problem);
    }
    return stripped;
  }

  private static long limit(JsonNode body) {
    JsonNode value = body.get("limit");
    if (value == null || !(value.isNumber() || value.isTextual())) {
      throw Problem.invalid("'limit' is the cents the budget allows per period, such as 500 or \"12.5\"");
    }
    long micros = parsed(() -> Money.parseCents(value.isNumber() ? value.decimalValue().toPlainString() : value.asText()));
    if (micros < 0) {
      throw Problem.invalid("'limit' cannot be negative");
    }
    return micros;
  }

  private static <T> T parsed(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw Problem.invalid(e.getMessage());
    }
  }

  private ObjectNode view(Budget budget, Instant now) {
    long spent = book.spent(budget, now);
    return Replies.JSON.createObjectNode()
        .put("id", budget.id())
        .put("userId", budget.userId())
        .put("dimension", budget.dimension().wireName())
        .put("name", budget.name())
        .put("period", budget.period().wireName())
        .put("limit", Money.microsAsCents(budget.limit()))
        .put("spent", Money.microsAsCents(spent))
        .put("remaining", Money.microsAsCents(Math.max(0, budget.limit() - spent)))
        .put("renewsAt", budget.period().renewal(now).toString());
  }
}

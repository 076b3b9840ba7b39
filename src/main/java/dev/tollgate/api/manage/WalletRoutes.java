package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.User;
import dev.tollgate.account.UserRepository;
import dev.tollgate.billing.Money;
import dev.tollgate.billing.RedemptionCode;
import dev.tollgate.billing.RedemptionRepository;
import dev.tollgate.billing.Redemptions;
import dev.tollgate.usage.UsageRepository;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The wallet: redemption codes ({@code /api/redemption}, admins make batches), top-ups ({@code
 * /api/user/topup}: redeem a code, list what one redeemed) and the quota journal ({@code
 * /api/user/journal}; an admin reads anyone's at {@code /api/user/{id}/journal}) that explains
 * every cent: credits line by line, charges summed per day.
 */
public final class WalletRoutes implements ManagementRoutes {

  private static final int CHARGE_DAYS = 30;

  private final Redemptions redemptions;
  private final RedemptionRepository codes;
  private final UserRepository users;
  private final UsageRepository usage;
  private final Clock clock;

  public WalletRoutes(Redemptions redemptions, RedemptionRepository codes, UserRepository users, UsageRepository usage,
      Clock clock) {
    this.redemptions = redemptions;
    this.codes = codes;
    this.users = users;
    this.usage = usage;
    this.clock = clock;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.post("/api/user/topup").handler(body).handler(answering(this::redeem));
    router.get("/api/user/topup").handler(answering(this::topups));
    router.get("/api/user/journal").handler(answering(rc -> journal(rc, ManagementAuth.principal(rc).userId())));
    router.getWithRegex("/api/user/(?<id>[0-9]+)/journal").handler(ManagementAuth::adminOnly)
        .handler(answering(rc -> journal(rc, Requests.id(rc, "user"))));

    router.route("/api/redemption*").handler(ManagementAuth::adminOnly);
    router.post("/api/redemption").handler(body).handler(answering(this::createBatch));
    router.get("/api/redemption").handler(answering(this::listCodes));
    router.post("/api/redemption/:id/disable").handler(answering(this::disable));
  }

  private void redeem(RoutingContext rc) {
    JsonNode body = body(rc);
    UserJson.onlyFields(body, Set.of("code"));
    String code = UserJson.text(body, "code");
    long userId = ManagementAuth.principal(rc).userId();
    reply(rc, 200, blocking(rc, () -> {
      RedemptionCode redeemed = redemptions.redeem(code, userId);
      User now = users.findById(userId).orElseThrow();
      return Replies.JSON.createObjectNode()
          .put("amount", Money.microsAsCents(redeemed.amount()))
          .put("quota", Money.microsToCents(now.quota()))
          .put("usedQuota", Money.microsToCents(now.usedQuota()));
    }));
  }

  private void topups(RoutingContext rc) {
    Requests.Page page = Requests.page(rc);
    long userId = ManagementAuth.principal(rc).userId();
    reply(rc, 200, blocking(rc, () -> {
      ObjectNode answer = Replies.JSON.createObjectNode().put("page", page.page()).put("pageSize", page.size());
      ArrayNode data = answer.putArray("data");
      codes.redeemedBy(userId, (int) Math.min(Integer.MAX_VALUE, page.offset()), page.size())
          .forEach(code -> data.add(Replies.JSON.createObjectNode()
              .put("code", code.codePrefix() + "…")
              .put("amount", Money.microsAsCents(code.amount()))
              .put("redeemedAt", code.redeemedAt().toString())));
      return answer;
    }));
  }

  private void journal(RoutingContext rc, long userId) {
    int limit = Requests.positive(rc, "limit", 100, 1_000);
    reply(rc, 200, blocking(rc, () -> {
      if (users.findById(userId).isEmpty()) {
        throw Problem.notFound("there is no user " + userId);
      }
      ObjectNode answer = Replies.JSON.createObjectNode();
      ArrayNode credits = answer.putArray("data");
      users.quotaJournal(userId, limit).forEach(line -> credits.add(Replies.JSON.createObjectNode()
          .put("kind", line.kind())
          .put("amount", Money.microsAsCents(line.amount()))
          .put("reason", line.reason())
          .put("at", line.at().toString())));
      ArrayNode charges = answer.putArray("charges");
      usage.dailyCharges(userId, clock.instant().minus(Duration.ofDays(CHARGE_DAYS)))
          .forEach(day -> charges.add(Replies.JSON.createObjectNode()
              .put("date", day.day().toString().substring(0, 10))
              .put("requests", day.requests())
              .put("cost", Money.microsAsCents(day.cost()))));
      return answer;
    }));
  }

  private void createBatch(RoutingContext rc) {
    JsonNode body = body(rc);
    UserJson.onlyFields(body, Set.of("name", "amount", "count"));
    String name = UserJson.text(body, "name");
    JsonNode amount = body.get("amount");
    if (amount == null || !amount.isNumber()) {
      throw Problem.invalid("'amount' is required: the cents each code is worth");
    }
    long micros;
    try {
      micros = Money.centsToMicros(amount.decimalValue());
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("'amount': " + e.getMessage());
    }
    Long count = UserJson.whole(body, "count");
    long actor = ManagementAuth.principal(rc).userId();
    reply(rc, 201, blocking(rc, () -> {
      Redemptions.Batch batch = redemptions.create(name, micros, count == null ? 1 : (int) Math.min(count, Integer.MAX_VALUE), actor);
      ObjectNode answer = Replies.JSON.createObjectNode()
          .put("name", batch.name())
          .put("amount", Money.microsAsCents(batch.amount()));
      ArrayNode list = answer.putArray("codes");
      batch.codes().forEach(list::add);
      return answer;
    }));
  }

  private void listCodes(RoutingContext rc) {
    Requests.Page page = Requests.page(rc);
    String batch = rc.request().getParam("batch");
    reply(rc, 200, blocking(rc, () -> page.answer(codes.count(batch),
        (offset, limit) -> codes.list(batch, offset, limit).stream().map(WalletRoutes::view).toList())));
  }

  private void disable(RoutingContext rc) {
    long id = Requests.id(rc, "redemption code");
    reply(rc, 200, blocking(rc, () -> {
      RedemptionCode code = codes.findById(id).orElseThrow(() -> Problem.notFound("there is no redemption code " + id));
      if (!codes.disable(id)) {
        throw Problem.conflict("the code is " + code.status().dbValue() + "; only unused codes can be disabled");
      }
      return view(codes.findById(id).orElseThrow());
    }));
  }

  private static ObjectNode view(RedemptionCode code) {
    return Replies.JSON.createObjectNode()
        .put("id", code.id())
        .put("batch", code.batch())
        .put("code", code.codePrefix() + "…")
        .put("amount", Money.microsAsCents(code.amount()))
        .put("status", code.status().dbValue())
        .put("createdAt", code.createdAt().toString())
        .put("redeemedBy", code.redeemedBy())
        .put("redeemedAt", code.redeemedAt() == null ? null : code.redeemedAt().toString());
  }
}

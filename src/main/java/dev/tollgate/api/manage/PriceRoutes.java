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
import dev.tollgate.billing.Money;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.PriceBook;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.channel.ChannelCatalog;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.util.Set;

/**
 * {@code /api/model} (admins): the price of each model, in decimal cents per million tokens (and
 * per image, second of audio, million characters). {@code /api/pricing} (anyone): the models the
 * caller's group can call, at the prices it pays (the group's ratio applied).
 */
public final class PriceRoutes implements ManagementRoutes {

  private static final String MODEL = "/api/model/(?<model>.+)";
  private static final Set<String> FIELDS = Set.of("model", "inputPrice", "outputPrice", "cachedInputPrice",
      "imagePrice", "audioSecondPrice", "characterPrice");

  private final PriceRepository prices;
  private final PriceBook book;
  private final GroupRepository groups;
  private final ChannelCatalog catalog;

  public PriceRoutes(PriceRepository prices, PriceBook book, GroupRepository groups, ChannelCatalog catalog) {
    this.prices = prices;
    this.book = book;
    this.groups = groups;
    this.catalog = catalog;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/pricing").handler(answering(this::pricing));
    router.route("/api/model*").handler(ManagementAuth::adminOnly);
    router.get("/api/model").handler(answering(this::list));
    router.getWithRegex(MODEL).handler(answering(this::one));
    router.putWithRegex(MODEL).handler(body).handler(answering(this::put));
    router.deleteWithRegex(MODEL).handler(answering(this::delete));
  }

  private void list(RoutingContext rc) {
    reply(rc, 200, blocking(rc, () -> {
      ObjectNode answer = Replies.JSON.createObjectNode();
      ArrayNode data = answer.putArray("data");
      prices.list().forEach(price -> data.add(view(price, BigDecimal.ONE)));
      return answer;
    }));
  }

  private void one(RoutingContext rc) {
    String model = rc.pathParam("model");
    reply(rc, 200, blocking(rc, () -> view(prices.find(model)
        .orElseThrow(() -> Problem.notFound("the model '" + model + "' has no price")), BigDecimal.ONE)));
  }

  private void put(RoutingContext rc) {
    String model = rc.pathParam("model");
    ModelPrice price = parse(model, body(rc));
    blocking(rc, () -> {
      boolean created = prices.put(price);
      book.reload(); // this node charges the new price before the answer goes out
      return created;
    }).onSuccess(created -> Replies.json(rc, created ? 201 : 200, view(price, BigDecimal.ONE)))
        .onFailure(err -> Replies.fail(rc, err));
  }

  private void delete(RoutingContext rc) {
    String model = rc.pathParam("model");
    blocking(rc, () -> {
      if (!prices.delete(model)) {
        throw Problem.notFound("the model '" + model + "' has no price");
      }
      book.reload();
      return null;
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** The models the caller's group may call through some channel, at its prices; unpriced ones are left out. */
  private void pricing(RoutingContext rc) {
    Principal principal = ManagementAuth.principal(rc);
    String groupName = principal == null ? Group.DEFAULT : principal.user().group();
    reply(rc, 200, blocking(rc, () -> {
      Group group = groups.find(groupName).orElseGet(() -> Group.fallback(groupName));
      ObjectNode answer = Replies.JSON.createObjectNode()
          .put("group", group.name())
          .put("priceRatio", group.priceRatio().toPlainString());
      ArrayNode data = answer.putArray("data");
      for (String model : catalog.models(group.name())) {
        if (!group.allows(model)) {
          continue;
        }
        switch (book.pricing(model)) {
          case PriceBook.Priced priced -> data.add(view(priced.price(), group.priceRatio()).put("free", false));
          case PriceBook.Free free -> data.add(Replies.JSON.createObjectNode().put("model", model).put("free", true));
          case PriceBook.Unpriced unpriced -> { } // refused when called: not on sale
        }
      }
      return answer;
    }));
  }

  /** A price from the body: input and output are required, the rest optional (null = not sold by that unit). */
  private static ModelPrice parse(String model, JsonNode body) {
    UserJson.onlyFields(body, FIELDS);
    String named = UserJson.text(body, "model");
    if (named != null && !named.equals(model)) {
      throw Problem.invalid("'model' in the body differs from the model in the path");
    }
    try {
      return ModelPrice.ofCents(model, cents(body, "inputPrice"), cents(body, "outputPrice"),
          cents(body, "cachedInputPrice"), cents(body, "imagePrice"), cents(body, "audioSecondPrice"),
          cents(body, "characterPrice"));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid(e.getMessage());
    }
  }

  /** Decimal cents as a JSON number or string (exactly as written); null when absent. */
  private static String cents(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.decimalValue().toPlainString();
    }
    if (value.isTextual()) {
      return value.asText();
    }
    throw Problem.invalid("'" + field + "' must be a number of cents, such as 250 or \"0.15\"");
  }

  /** Prices in decimal cents, times {@code ratio} (1 for the list price). */
  static ObjectNode view(ModelPrice price, BigDecimal ratio) {
    ObjectNode json = Replies.JSON.createObjectNode().put("model", price.model());
    putOptional(json, "inputPrice", price.input(), ratio);
    putOptional(json, "outputPrice", price.output(), ratio);
    putOptional(json, "cachedInputPrice", price.cachedInput(), ratio);
    putOptional(json, "imagePrice", price.perImage(), ratio);
    putOptional(json, "audioSecondPrice", price.perAudioSecond(), ratio);
    putOptional(json, "characterPrice", price.perMillionCharacters(), ratio);
    return json;
  }

  private static void putOptional(ObjectNode json, String field, Long micros, BigDecimal ratio) {
    if (micros == null) {
      json.putNull(field);
    } else {
      BigDecimal cents = Money.microsAsCents(micros).multiply(ratio).stripTrailingZeros();
      json.put(field, cents.scale() < 0 ? cents.setScale(0) : cents);
    }
  }
}

package dev.tollgate.relay;

import dev.tollgate.account.Caller;
import dev.tollgate.billing.BudgetBook;
import dev.tollgate.billing.Charge;
import dev.tollgate.billing.Money;
import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.PriceBook;
import dev.tollgate.billing.QuotaLedger;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.openai.OpenAiPromptText;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The quota stage, before any upstream call: a model must have a price (or be configured free),
 * and the request's estimated cost is reserved against the key and its account — or it is refused
 * with 402 saying what is left. The estimate is the prompt's tokens plus the output the request
 * may produce ({@code max_tokens}, at most {@code billing.reserve_output_tokens}). A priced request
 * its caller tagged with a workflow or project whose budget is spent is refused (402) first.
 */
public final class QuotaGate {

  /** Cents the key may still spend, this request's reservation set aside (on every priced answer). */
  static final String REMAINING_HEADER = "x-tollgate-quota-remaining";
  /** UTF-8 bytes per token assumed for prompts: fewer than English (~4) or code (~3.5), so it errs high. */
  private static final int BYTES_PER_TOKEN = 3;

  private final PriceBook prices;
  private final QuotaLedger ledger;
  private final BudgetBook budgets;
  private final int reserveOutputTokens;
  private final boolean remainingHeader;
  private final BigDecimal ownKeyFeeRatio;

  /**
   * @param reserveOutputTokens the most output tokens a reservation counts
   * @param remainingHeader whether answers to priced requests carry {@value #REMAINING_HEADER}
   * @param ownKeyFeeRatio the share of the price charged when the caller's own provider key serves
   */
  public QuotaGate(PriceBook prices, QuotaLedger ledger, BudgetBook budgets, int reserveOutputTokens,
      boolean remainingHeader, BigDecimal ownKeyFeeRatio) {
    this.prices = prices;
    this.ledger = ledger;
    this.budgets = budgets;
    this.ownKeyFeeRatio = ownKeyFeeRatio;
    this.reserveOutputTokens = reserveOutputTokens;
    this.remainingHeader = remainingHeader;
  }

  /** Sets {@code cx.charging} and answers null, or the error that refuses the request. */
  GatewayError admit(RelayContext cx) {
    String model = cx.request.model();
    ClientRequest.UnitRequest units = cx.request.units();
    PriceBook.Pricing pricing = units == null ? prices.pricing(model) : unitPricing(model, units);
    switch (pricing) {
      case PriceBook.Free free -> {
        cx.charging = Charging.FREE;
        return null;
      }
      case PriceBook.Unpriced unpriced -> {
        return GatewayError.of(ErrorCode.FORBIDDEN,
            "the model '" + model + "' has no price set, so it cannot be used; an admin sets one at /api/model");
      }
      case PriceBook.Priced priced when units != null && units.unit().price(priced.price()) == null -> {
        return GatewayError.of(ErrorCode.FORBIDDEN, "the model '" + model + "' has no " + units.unit().priceField()
            + " set, and this endpoint bills by the " + units.unit().wireName() + "; an admin sets one at /api/model");
      }
      case PriceBook.Priced priced -> {
        Caller caller = cx.key;
        Optional<String> overBudget = budgets.refusal(caller.userId(), cx.attribution);
        if (overBudget.isPresent()) {
          return GatewayError.of(ErrorCode.QUOTA_EXCEEDED, overBudget.get());
        }
        BigDecimal ratio = cx.ownKeys ? caller.group().priceRatio().multiply(ownKeyFeeRatio) : caller.group().priceRatio();
        long estimate;
        if (units == null) {
          Integer asked = cx.request.maxOutputTokens();
          int output = asked == null ? reserveOutputTokens : Math.min(asked, reserveOutputTokens);
          estimate = Charge.of(priced.price(), promptTokens(cx), 0, output, ratio);
        } else {
          estimate = units.unit().cost(units.unit().price(priced.price()), units.reserve(), ratio);
        }
        QuotaLedger.Admission admission = ledger.reserve(snapshot(caller), estimate);
        if (admission instanceof QuotaLedger.Refused refused) {
          return GatewayError.of(ErrorCode.QUOTA_EXCEEDED, (refused.keyLimited() ? "the API key's quota" : "the account's quota")
              + " is not enough for this request: " + cents(refused.remaining()) + " cents left, this request may cost up to "
              + cents(estimate) + " cents");
        }
        cx.charging = new Charging(priced.price(), ratio, (QuotaLedger.Reserved) admission, units == null ? null : units.unit());
        return null;
      }
    }
  }

  /**
   * A unit-billed request's price: the first of its price names that has a price for the unit
   * (e.g. {@code dall-e-3@1024x1792@hd} before {@code dall-e-3}); else the model's own standing.
   */
  private PriceBook.Pricing unitPricing(String model, ClientRequest.UnitRequest units) {
    for (String name : units.priceNames()) {
      Optional<ModelPrice> price = prices.price(name);
      if (price.isPresent() && units.unit().price(price.get()) != null) {
        return new PriceBook.Priced(price.get());
      }
    }
    return prices.pricing(model);
  }

  /**
   * The prompt's tokens for a reservation: a third of its UTF-8 size, which errs high. Not the
   * tokenizer: it costs 13 µs for a one-line prompt and 22 ms for a 200 KB one (measured), too
   * much for an event loop on every request; the charge uses the upstream's own count anyway.
   */
  static int promptTokens(RelayContext cx) {
    if (cx.promptTokens < 0) { // once per request: the rate limits and the quota both ask
      ClientRequest.PromptText prompt = cx.request.promptText();
      long bytes = utf8Length(prompt.text());
      cx.promptTokens = (int) Math.min(Integer.MAX_VALUE,
          (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN + (long) prompt.messages() * OpenAiPromptText.TOKENS_PER_MESSAGE);
    }
    return cx.promptTokens;
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The value of {@value #REMAINING_HEADER} for an admitted request, or null when it carries none. */
  String remainingHeader(RelayContext cx) {
    if (!remainingHeader || cx.charging == null || cx.charging.reservation() == null) {
      return null;
    }
    return cents(cx.charging.reservation().remaining());
  }

  static QuotaLedger.Snapshot snapshot(Caller caller) {
    return new QuotaLedger.Snapshot(caller.userId(), caller.owner().quota(), caller.owner().usedQuota(),
        caller.keyId(), caller.key().quotaLimit(), caller.key().usedQuota());
  }

  private static String cents(long micros) {
    return Money.microsAsCents(micros).toPlainString();
  }
}

package dev.tollgate.relay;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.openai.OpenAiPromptText;
import dev.tollgate.usage.TokenEstimator;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.UsageWriter;
import dev.tollgate.billing.QuotaLedger;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Turns the end of a request into exactly one usage record, with the upstream's token counts or,
 * when it gave none, an estimate marked as such — and settles its reservation: the usage is
 * charged at the request's price and ratio, the rest of the reservation released.
 */
public final class Metering {

  private final UsageWriter writer;
  private final TokenEstimator estimator;
  private final QuotaLedger ledger;
  private final RateGate rates;
  private final List<RequestObserver> observers;

  public Metering(UsageWriter writer, TokenEstimator estimator, QuotaLedger ledger, RateGate rates,
      List<RequestObserver> observers) {
    this.writer = writer;
    this.estimator = estimator;
    this.ledger = ledger;
    this.rates = rates;
    this.observers = List.copyOf(observers);
  }

  TokenEstimator estimator() {
    return estimator;
  }

  /**
   * Records the request once; later calls for the same context are ignored.
   *
   * @param usage the upstream's usage, or null when it sent none
   * @param generated an answer (or part of one) reached the client, so missing usage is estimated
   * @param estimatedCompletion counts the completion tokens the relay saw; asked only when usage is
   *     null, since counting costs a tokenizer pass
   */
  void record(
      RelayContext cx, int status, ErrorCode error, Usage usage, boolean generated, IntSupplier estimatedCompletion) {
    if (cx.metered || cx.key == null) {
      return;
    }
    boolean estimated = usage == null && generated;
    if (usage != null) {
      write(cx, status, error, usage, false);
    } else if (estimated) {
      write(cx, status, error, new Usage(estimatePrompt(cx), estimatedCompletion.getAsInt(), 0, 0), true);
    } else { // refused, or failed upstream: nothing was generated, nothing is owed
      write(cx, status, error, new Usage(0, 0, 0, 0), false);
    }
  }

  /**
   * Records a successful request whose usage the relay estimated itself (it had to count the
   * tokens anyway, to tell the client); later calls for the same context are ignored.
   */
  void recordEstimated(RelayContext cx, int status, Usage estimate) {
    if (!cx.metered && cx.key != null) {
      write(cx, status, null, estimate, true);
    }
  }

  private void write(RelayContext cx, int status, ErrorCode error, Usage usage, boolean estimated) {
    cx.metered = true;
    int prompt = usage.promptTokens();
    int completion = usage.completionTokens();
    rates.finish(cx, (long) prompt + completion);
    int cached = usage.cachedTokens();
    Charging charging = cx.charging == null ? Charging.FREE : cx.charging;
    long cost = charging.unit() != null
        ? charging.unitCost(cx.billedUnits)
        : charging.cost(new Usage(prompt, completion, cached, 0), BigDecimal.ONE);
    QuotaLedger.Settled settled = charging.reservation() == null
        ? new QuotaLedger.Settled(0, 0, 0)
        : ledger.settle(charging.reservation(), cost);
    UsageRecord record =
        new UsageRecord(
            cx.requestId,
            cx.receivedAt,
            cx.key.keyId(),
            cx.request == null ? "" : cx.request.model(),
            cx.upstreamModel,
            cx.channel == null ? null : cx.channel.id(),
            cx.request != null && cx.request.stream(),
            prompt,
            completion,
            estimated,
            cx.firstByteMillis(),
            cx.elapsedMillis(),
            status,
            error == null ? null : error.wireName(),
            cx.attempts == null ? List.of() : cx.attempts.close(),
            cx.key.userId(),
            cached,
            settled.charged(),
            settled.shortfall(),
            charging.free() ? null : new UsageRecord.Prices(charging.price().input(), charging.price().output(),
                charging.price().cachedInput(), charging.ratio().toPlainString()),
            cx.ownKeys,
            cx.attribution,
            units(cx, charging));
    writer.submit(record);
    Supplier<String> promptText = () -> cx.request == null ? null : cx.request.promptText().text();
    for (RequestObserver observer : observers) {
      observer.ended(cx.protocol, record, promptText);
    }
  }

  /** What a unit-billed request used, for its record; null for tokens, and for units never delivered. */
  private static UsageRecord.Units units(RelayContext cx, Charging charging) {
    ClientRequest.UnitRequest asked = cx.request == null ? null : cx.request.units();
    if (asked == null || cx.billedUnits == null) {
      return null;
    }
    return new UsageRecord.Units(asked.unit().wireName(), cx.billedUnits, cx.unitsEstimated,
        charging.free() ? 0 : charging.unitPrice()); // admission made sure a priced one has its unit price
  }

  /**
   * Gives back a reservation the request still holds, for paths that end without a record (the
   * record settles it otherwise). Safe to call after the record: settling twice is a no-op.
   */
  void releaseUnsettled(RelayContext cx) {
    rates.finish(cx, cx.rateTokens);
    if (cx.charging != null && cx.charging.reservation() != null) {
      ledger.release(cx.charging.reservation());
    }
  }

  /** For answers whose completion cannot be counted (nothing generated, or usage expected). */
  static final IntSupplier NOTHING = () -> 0;

  private int estimatePrompt(RelayContext cx) {
    ClientRequest.PromptText text = cx.request.promptText();
    return estimator.count(text.text()) + text.messages() * OpenAiPromptText.TOKENS_PER_MESSAGE;
  }
}

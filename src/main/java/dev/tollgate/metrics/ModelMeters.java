package dev.tollgate.metrics;

import dev.tollgate.billing.Money;
import dev.tollgate.usage.UsageRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The tokens and the cost of one model label, whatever protocol the requests came in. */
final class ModelMeters {

  private final Counter prompt;
  private final Counter completion;
  private final Counter cached;
  private final Counter cost;

  ModelMeters(MeterRegistry registry, String model) {
    prompt = tokens(registry, model, "prompt");
    completion = tokens(registry, model, "completion");
    cached = tokens(registry, model, "cached");
    cost = Counter.builder("tollgate.cost.cents")
        .description("cents charged, by model (a float for dashboards: the usage records hold the exact micro-cents)")
        .tag("model", model)
        .register(registry);
  }

  private static Counter tokens(MeterRegistry registry, String model, String type) {
    return Counter.builder("tollgate.tokens")
        .description("tokens metered (the upstream's count, or the gateway's estimate when it gave none);"
            + " cached tokens are part of the prompt tokens")
        .tag("model", model)
        .tag("type", type)
        .register(registry);
  }

  void record(UsageRecord record) {
    prompt.increment(record.promptTokens());
    completion.increment(record.completionTokens());
    cached.increment(record.cachedTokens());
    cost.increment(record.cost() / (double) Money.MICROS_PER_CENT);
  }
}

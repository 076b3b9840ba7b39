package dev.tollgate.billing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model prices in memory, for the hot path. A background poll of a cheap change stamp reloads
 * them within a second of any change, wherever it was made (the API, the CLI, another replica).
 */
public final class PriceBook implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PriceBook.class);

  private final PriceRepository repository;
  private final List<Pattern> freeModels;
  private final ScheduledExecutorService poller;
  private volatile Map<String, ModelPrice> prices = Map.of();
  private volatile String stamp = "";
  private boolean failing; // the poller thread's only

  /** @param freeModels names or patterns with {@code *} of models served without a price */
  public PriceBook(PriceRepository repository, List<String> freeModels) {
    this.repository = repository;
    this.freeModels = freeModels.stream().map(PriceBook::glob).toList();
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "price-book");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** How a model is sold. */
  public sealed interface Pricing permits Priced, Free, Unpriced {}

  public record Priced(ModelPrice price) implements Pricing {}

  /** Configured free ({@code billing.free_models}) and without a price of its own. */
  public record Free() implements Pricing {}

  /** No price and not configured free: refused. */
  public record Unpriced() implements Pricing {}

  private static final Free FREE = new Free();
  private static final Unpriced UNPRICED = new Unpriced();

  /** Loads now, then keeps watching every {@code pollMillis}. */
  public PriceBook start(long pollMillis) {
    reload();
    poller.scheduleWithFixedDelay(this::reloadIfChanged, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reloads at once; for changes made through this process. */
  public synchronized void reload() {
    stamp = repository.changeStamp();
    prices = repository.list().stream().collect(Collectors.toUnmodifiableMap(ModelPrice::model, Function.identity()));
  }

  private void reloadIfChanged() {
    try {
      if (!repository.changeStamp().equals(stamp)) {
        reload();
      }
      if (failing) {
        failing = false;
        LOG.info("price reload works again");
      }
    } catch (RuntimeException e) {
      if (!failing) { // once per outage: the database monitor reports the outage itself
        failing = true;
        LOG.warn("price reload failed; charging the previous prices until it works: {}", e.getMessage());
      }
    }
  }

  /** A price of its own wins over being configured free. */
  public Pricing pricing(String model) {
    ModelPrice price = prices.get(model);
    if (price != null) {
      return new Priced(price);
    }
    for (Pattern free : freeModels) {
      if (free.matcher(model).matches()) {
        return FREE;
      }
    }
    return UNPRICED;
  }

  public Optional<ModelPrice> price(String model) {
    return Optional.ofNullable(prices.get(model));
  }

  /** Every price, by model name. */
  public Map<String, ModelPrice> all() {
    return prices;
  }

  public boolean isFree(String model) {
    return pricing(model) instanceof Free;
  }

  /** {@code *} stands for any run of characters; everything else is literal. */
  static Pattern glob(String pattern) {
    return Pattern.compile(java.util.Arrays.stream(pattern.split("\\*", -1))
        .map(Pattern::quote)
        .collect(Collectors.joining(".*")));
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}

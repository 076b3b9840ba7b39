package dev.tollgate.billing;

import dev.tollgate.db.ChangeWatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The model prices in memory, for the hot path, reloaded within a second of any change wherever it
 * was made ({@link ChangeWatch}).
 */
public final class PriceBook implements AutoCloseable {

  private final PriceRepository repository;
  private final List<Pattern> freeModels;
  private final ChangeWatch watch;
  private volatile Map<String, ModelPrice> prices = Map.of();

  /** @param freeModels names or patterns with {@code *} of models served without a price */
  public PriceBook(PriceRepository repository, List<String> freeModels) {
    this.repository = repository;
    this.freeModels = freeModels.stream().map(PriceBook::glob).toList();
    this.watch = new ChangeWatch("price", repository::changeStamp, this::load);
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
    watch.start(pollMillis);
    return this;
  }

  /** Reloads at once; for changes made through this process. */
  public void reload() {
    watch.reload();
  }

  private void load() {
    prices = repository.list().stream().collect(Collectors.toUnmodifiableMap(ModelPrice::model, Function.identity()));
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
    watch.close();
  }
}

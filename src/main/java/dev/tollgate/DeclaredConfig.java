package dev.tollgate;

import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.limit.Limits;
import dev.tollgate.limit.PlanRepository;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.Dates;
import dev.tollgate.config.TollgateConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Applies the channels, keys and prices declared in the config file to the database, at start-up. */
final class DeclaredConfig {

  private DeclaredConfig() {}

  static void apply(TollgateConfig config, App.Stores stores) {
    for (TollgateConfig.ChannelDecl c : config.channels()) {
      try {
        stores.channels().upsertByName(new ChannelSpec(
            c.name(), c.type(), c.baseUrl(), keys(c), c.models(), c.modelMapping(),
            c.priority() == null ? 0 : c.priority(), c.weight() == null ? 1 : c.weight(),
            ParamOverrides.of(c.paramOverrides()), c.extraHeaders(),
            new ChannelTimeouts(c.connectTimeoutMs(), c.firstByteTimeoutMs(), c.idleTimeoutMs()), c.groups()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("channel '" + c.name() + "' in the config file: " + e.getMessage(), e);
      }
    }
    for (TollgateConfig.KeyDecl k : config.keys()) {
      try {
        stores.keyService().declare(stores.root().id(),
            k.name(), k.key(), k.quotaCents(), k.models() == null ? null : new HashSet<>(k.models()), Dates.parse(k.expires()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("key '" + k.name() + "' in the config file: " + e.getMessage(), e);
      }
    }
  }

  static void applyPrices(TollgateConfig.Billing billing, PriceRepository prices) {
    for (TollgateConfig.PriceDecl p : billing.prices()) {
      try {
        prices.put(ModelPrice.ofCents(p.model(), p.input(), p.output(), p.cachedInput(), p.image(), p.audioSecond(),
            p.character()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("price of '" + p.model() + "' in the config file: " + e.getMessage(), e);
      }
    }
  }

  static void applyPlans(TollgateConfig.RateLimits rateLimits, PlanRepository plans) {
    for (TollgateConfig.PlanDecl p : rateLimits.plans()) {
      if (p.name() == null || !p.name().matches("[a-z0-9_-]{1,64}")) {
        throw new ConfigException("plan '" + p.name() + "' in the config file: a name is 1 to 64 characters from a-z, 0-9, '-' and '_'");
      }
      try {
        plans.put(p.name(), new Limits(orZero(p.qps()), orZero(p.rpm()), orZero(p.tpm()),
            p.maxConcurrent() == null ? 0 : p.maxConcurrent()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("plan '" + p.name() + "' in the config file: " + e.getMessage(), e);
      }
    }
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** {@code key} and {@code keys} together, in that order. */
  private static List<String> keys(TollgateConfig.ChannelDecl c) {
    List<String> keys = new ArrayList<>();
    if (c.key() != null) {
      keys.add(c.key());
    }
    if (c.keys() != null) {
      keys.addAll(c.keys());
    }
    return keys;
  }
}

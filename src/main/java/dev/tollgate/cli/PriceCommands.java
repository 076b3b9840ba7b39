package dev.tollgate.cli;

import dev.tollgate.billing.ModelPrice;
import dev.tollgate.billing.Money;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.billing.RedemptionRepository;
import dev.tollgate.billing.Redemptions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Model prices for scripted setup (running servers pick changes up within a second). */
@Command(name = "price", description = "Manage model prices (cents per million tokens).",
    subcommands = {PriceCommands.Set.class, PriceCommands.ListPrices.class, PriceCommands.Delete.class})
final class PriceCommands {

  @ParentCommand AdminCommand admin;

  PriceRepository prices(dev.tollgate.App.Stores stores) {
    return new PriceRepository(stores.sql(), Clock.systemUTC());
  }

  @Command(name = "set", description = "Set a model's price, in decimal cents (up to 6 places).")
  static final class Set implements Callable<Integer> {
    @ParentCommand PriceCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Model name.") String model;
    @Option(names = "--input", required = true, description = "Cents per million input tokens.") String input;
    @Option(names = "--output", required = true, description = "Cents per million output tokens.") String output;
    @Option(names = "--cached-input", description = "Cents per million cached input tokens (default: the input price).")
    String cachedInput;
    @Option(names = "--image", description = "Cents per image.") String image;
    @Option(names = "--audio-second", description = "Cents per second of audio.") String audioSecond;
    @Option(names = "--character", description = "Cents per million characters of speech.") String character;

    @Override
    public Integer call() {
      ModelPrice price = ModelPrice.ofCents(model, input, output, cachedInput, image, audioSecond, character);
      boolean created = parent.admin.withStores(stores -> parent.prices(stores).put(price));
      spec.commandLine().getErr().println("price of '" + model + "' " + (created ? "set" : "changed") + ": input "
          + Money.microsAsCents(price.input()).toPlainString() + ", output " + Money.microsAsCents(price.output()).toPlainString()
          + " cents per million tokens");
      return 0;
    }
  }

  @Command(name = "list", description = "List model prices (cents).")
  static final class ListPrices implements Callable<Integer> {
    @ParentCommand PriceCommands parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<ModelPrice> prices = parent.admin.withStores(stores -> parent.prices(stores).list());
      var out = spec.commandLine().getOut();
      out.printf("%-40s %-14s %-14s %-14s%n", "MODEL", "INPUT/M", "OUTPUT/M", "CACHED/M");
      for (ModelPrice p : prices) {
        out.printf("%-40s %-14s %-14s %-14s%n", p.model(), cents(p.input()), cents(p.output()),
            p.cachedInput() == null ? "-" : cents(p.cachedInput()));
      }
      return 0;
    }

    private static String cents(long micros) {
      return Money.microsAsCents(micros).toPlainString();
    }
  }

  @Command(name = "delete", description = "Remove a model's price (the model is then refused unless free).")
  static final class Delete implements Callable<Integer> {
    @ParentCommand PriceCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Model name.") String model;

    @Override
    public Integer call() {
      if (!parent.admin.withStores(stores -> parent.prices(stores).delete(model))) {
        spec.commandLine().getErr().println("tollgate: the model '" + model + "' has no price");
        return 1;
      }
      spec.commandLine().getErr().println("price of '" + model + "' removed");
      return 0;
    }
  }

  /** Redemption codes: made in batches, printed once, one per line. */
  @Command(name = "redemption", description = "Make a batch of redemption codes (printed once, one per line).")
  static final class Redemption implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Batch name.") String batch;
    @Option(names = "--amount", required = true, description = "Cents each code is worth.") String amount;
    @Option(names = "--count", defaultValue = "1", description = "How many codes (1 to 1000, default 1).") int count;

    @Override
    public Integer call() {
      long micros = Money.parseCents(amount);
      Redemptions.Batch made = admin.withStores(stores ->
          new Redemptions(new RedemptionRepository(stores.sql(), Clock.systemUTC())).create(batch, micros, count, null));
      made.codes().forEach(spec.commandLine().getOut()::println);
      spec.commandLine().getErr().println(made.codes().size() + " codes of " + Money.microsAsCents(micros).toPlainString()
          + " cents in batch '" + batch + "'");
      return 0;
    }
  }
}

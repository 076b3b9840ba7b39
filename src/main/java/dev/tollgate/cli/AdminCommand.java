package dev.tollgate.cli;

import dev.tollgate.App;
import dev.tollgate.db.Database;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "admin",
    description = "Scripted setup against the configured database (the server may be running).",
    subcommands = {ChannelCommands.class, KeyCommands.class, UserCommands.class, GroupCommands.class,
        PriceCommands.class, PriceCommands.Redemption.class, PlanCommands.class})
final class AdminCommand {

  @ParentCommand TollgateCommand root;

  /** Runs an action against the stores and closes the database afterwards. */
  <T> T withStores(Function<App.Stores, T> action) {
    var config = root.loadConfig();
    try (Database database = Database.open(config)) {
      return action.apply(App.Stores.open(database, config, Clock.systemUTC()));
    }
  }
}

package dev.tollgate.cli;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.provider.Providers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "channel", description = "Manage upstream channels.",
    subcommands = {ChannelCommands.Add.class, ChannelCommands.ListChannels.class,
        ChannelCommands.Enable.class, ChannelCommands.Disable.class, ChannelCommands.Delete.class})
final class ChannelCommands {

  @ParentCommand AdminCommand admin;

  @Command(name = "add", description = "Add a channel; prints its id.")
  static final class Add implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;

    @Option(names = "--name", description = "Unique name (default: TYPE-N).") String name;
    @Option(names = "--type", required = true, description = "Provider kind: ${COMPLETION-CANDIDATES}.", completionCandidates = Kinds.class) String type;
    @Option(names = "--base-url", required = true, description = "e.g. https://api.openai.com/v1") String baseUrl;
    @Option(names = "--key", required = true, description = "The provider's API key (stored encrypted).") String key;
    @Option(names = "--models", required = true, split = ",", description = "Models served, comma-separated.") List<String> models;
    @Option(names = "--map", split = ",", description = "Model mapping requested=upstream, comma-separated.") Map<String, String> mapping;
    @Option(names = "--priority", defaultValue = "0", description = "Higher is tried first (default 0).") int priority;
    @Option(names = "--weight", defaultValue = "1", description = "Share inside its priority group (default 1).") int weight;

    @Override
    public Integer call() {
      if (!Providers.builtIn().kinds().contains(type)) {
        throw new IllegalArgumentException("unknown type '" + type + "'; known: " + Providers.builtIn().kinds());
      }
      String chosenName = name != null ? name : type + "-" + System.currentTimeMillis() % 100_000;
      Channel channel = parent.admin.withStores(stores -> stores.channels().insert(
          new ChannelSpec(chosenName, type, baseUrl, key, models, mapping, priority, weight)));
      spec.commandLine().getOut().println(channel.id());
      spec.commandLine().getErr().println("channel " + channel.id() + " '" + channel.name() + "' added: "
          + channel.type() + " " + channel.baseUrl() + " serving " + channel.models());
      return 0;
    }
  }

  /** For the help text. */
  static final class Kinds implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Providers.builtIn().kinds().stream().sorted().iterator();
    }
  }

  @Command(name = "list", description = "List channels (secrets are never shown).")
  static final class ListChannels implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      record Listing(List<Channel> channels, Map<Long, String> reasons) {}
      Listing listing = parent.admin.withStores(stores -> new Listing(
          stores.channels().listVisible(), stores.channels().statusReasons()));
      var out = spec.commandLine().getOut();
      out.printf("%-6s %-24s %-10s %-13s %-8s %-6s %-40s %s%n", "ID", "NAME", "TYPE", "STATUS", "PRIORITY", "WEIGHT", "BASE URL", "MODELS");
      for (Channel c : listing.channels()) {
        String reason = listing.reasons().get(c.id());
        out.printf("%-6d %-24s %-10s %-13s %-8d %-6d %-40s %s%s%n", c.id(), c.name(), c.type(), c.status().dbValue(),
            c.priority(), c.weight(), c.baseUrl(), String.join(",", c.models().stream().sorted().toList()),
            reason == null ? "" : "  (" + reason + ")");
      }
      return 0;
    }
  }

  abstract static class StatusChange implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Channel id.") long id;

    abstract ChannelStatus target();

    @Override
    public Integer call() {
      boolean changed = parent.admin.withStores(stores -> stores.channels().setStatus(id, target()));
      return StatusReport.of(spec, "channel", id, changed, target().dbValue());
    }
  }

  @Command(name = "enable", description = "Enable a channel (also one the gateway auto-disabled).")
  static final class Enable extends StatusChange {
    ChannelStatus target() { return ChannelStatus.ENABLED; }
  }

  @Command(name = "disable", description = "Disable a channel (kept, not routed to).")
  static final class Disable extends StatusChange {
    ChannelStatus target() { return ChannelStatus.DISABLED; }
  }

  @Command(name = "delete", description = "Delete a channel.")
  static final class Delete extends StatusChange {
    ChannelStatus target() { return ChannelStatus.DELETED; }
  }
}

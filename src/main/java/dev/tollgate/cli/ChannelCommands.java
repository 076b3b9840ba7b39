package dev.tollgate.cli;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.provider.Providers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "channel", description = "Manage upstream channels.",
    subcommands = {ChannelCommands.Add.class, ChannelCommands.Update.class, ChannelCommands.Show.class,
        ChannelCommands.ListChannels.class, ChannelCommands.Enable.class, ChannelCommands.Disable.class,
        ChannelCommands.Delete.class})
final class ChannelCommands {

  @ParentCommand AdminCommand admin;

  /** How requests to the channel are shaped and whom it serves; the same on add and update. */
  static final class RequestOptions {
    @Option(names = "--override", paramLabel = "JSON",
        description = "JSON object merged into every upstream request body, e.g. '{\"max_tokens\":1024}' ('{}' = none).")
    String overrides;
    @Option(names = "--header", paramLabel = "NAME=VALUE",
        description = "Extra header for upstream requests; repeatable. Credentials cannot be set this way.")
    Map<String, String> headers;
    @Option(names = "--groups", split = ",", description = "Caller groups served, comma-separated (default: default).")
    List<String> groups;
    @Option(names = "--timeout-connect-ms", paramLabel = "MS", description = "Own connect timeout (0 = the global one).")
    Integer connectMs;
    @Option(names = "--timeout-first-byte-ms", paramLabel = "MS", description = "Own first-byte timeout (0 = the global one).")
    Integer firstByteMs;
    @Option(names = "--timeout-idle-ms", paramLabel = "MS", description = "Own idle timeout (0 = the global one).")
    Integer idleMs;

    /** The spec with the options given applied; options not given leave the value as it is. */
    ChannelSpec.Builder applyTo(ChannelSpec.Builder spec, ChannelTimeouts current) {
      if (overrides != null) {
        spec.paramOverrides(ParamOverrides.parse(overrides));
      }
      if (headers != null) {
        spec.extraHeaders(headers);
      }
      if (groups != null) {
        spec.groups(groups);
      }
      return spec.timeouts(new ChannelTimeouts(
          timeout(connectMs, current.connectMs()), timeout(firstByteMs, current.firstByteMs()), timeout(idleMs, current.idleMs())));
    }

    private static Integer timeout(Integer given, Integer current) {
      if (given == null) {
        return current;
      }
      return given == 0 ? null : given;
    }
  }

  @Command(name = "add", description = "Add a channel; prints its id.")
  static final class Add implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;
    @Mixin RequestOptions requestOptions;

    @Option(names = "--name", description = "Unique name (default: TYPE-N).") String name;
    @Option(names = "--type", required = true, description = "Provider kind: ${COMPLETION-CANDIDATES}.", completionCandidates = Kinds.class) String type;
    @Option(names = "--base-url", required = true, description = "e.g. https://api.openai.com/v1") String baseUrl;
    @Option(names = "--key", required = true, split = ",",
        description = "The provider's API key (stored encrypted); repeat or comma-separate for several, used in turn.")
    List<String> keys;
    @Option(names = "--models", required = true, split = ",", description = "Models served, comma-separated.") List<String> models;
    @Option(names = "--map", split = ",", description = "Model mapping requested=upstream, comma-separated.") Map<String, String> mapping;
    @Option(names = "--priority", defaultValue = "0", description = "Higher is tried first (default 0).") int priority;
    @Option(names = "--weight", defaultValue = "1", description = "Share inside its priority group (default 1).") int weight;

    @Override
    public Integer call() {
      requireKnownType(type);
      String chosenName = name != null ? name : type + "-" + System.currentTimeMillis() % 100_000;
      ChannelSpec base = new ChannelSpec(chosenName, type, baseUrl, keys, models, mapping, priority, weight, null, null, null, null);
      ChannelSpec channelSpec = requestOptions.applyTo(base.toBuilder(), ChannelTimeouts.NONE).build();
      Channel channel = parent.admin.withStores(stores -> stores.channels().insert(channelSpec));
      spec.commandLine().getOut().println(channel.id());
      spec.commandLine().getErr().println("channel " + channel.id() + " '" + channel.name() + "' added: "
          + channel.type() + " " + channel.baseUrl() + " serving " + channel.models());
      return 0;
    }
  }

  @Command(name = "update", description = "Change settings of a channel; settings not given stay as they are.")
  static final class Update implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;
    @Mixin RequestOptions requestOptions;
    @Parameters(index = "0", description = "Channel id.") long id;

    @Option(names = "--name") String name;
    @Option(names = "--type", completionCandidates = Kinds.class) String type;
    @Option(names = "--base-url") String baseUrl;
    @Option(names = "--key", split = ",", description = "Replaces all the provider keys; repeat or comma-separate for several.")
    List<String> keys;
    @Option(names = "--models", split = ",", description = "Replaces the models served.") List<String> models;
    @Option(names = "--map", split = ",", description = "Replaces the model mapping.") Map<String, String> mapping;
    @Option(names = "--priority") Integer priority;
    @Option(names = "--weight") Integer weight;
    @Option(names = "--clear-headers", description = "Removes every extra header.") boolean clearHeaders;

    @Override
    public Integer call() {
      if (type != null) {
        requireKnownType(type);
      }
      var updated = parent.admin.withStores(stores -> stores.channels().findById(id)
          .filter(c -> c.status() != ChannelStatus.DELETED)
          .flatMap(current -> stores.channels().update(id, changed(current))));
      if (updated.isEmpty()) {
        return StatusReport.of(spec, "channel", id, false, "updated");
      }
      spec.commandLine().getErr().println("channel " + id + " '" + updated.get().name() + "' updated");
      return 0;
    }

    private ChannelSpec changed(Channel current) {
      ChannelSpec.Builder builder = current.toSpec().toBuilder();
      if (clearHeaders) {
        builder.extraHeaders(Map.of());
      }
      requestOptions.applyTo(builder, current.timeouts());
      if (name != null) builder.name(name);
      if (type != null) builder.type(type);
      if (baseUrl != null) builder.baseUrl(baseUrl);
      if (keys != null) builder.secrets(keys);
      if (models != null) builder.models(models);
      if (mapping != null) builder.modelMapping(mapping);
      if (priority != null) builder.priority(priority);
      if (weight != null) builder.weight(weight);
      return builder.build();
    }
  }

  @Command(name = "show", description = "Show one channel's settings (keys masked).")
  static final class Show implements Callable<Integer> {
    @ParentCommand ChannelCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Channel id.") long id;

    @Override
    public Integer call() {
      var found = parent.admin.withStores(stores -> stores.channels().findById(id)
          .filter(c -> c.status() != ChannelStatus.DELETED));
      if (found.isEmpty()) {
        spec.commandLine().getErr().println("tollgate: no channel with id " + id);
        return 1;
      }
      Channel c = found.get();
      var out = spec.commandLine().getOut();
      row(out, "id", String.valueOf(c.id()));
      row(out, "name", c.name());
      row(out, "type", c.type());
      row(out, "status", c.status().dbValue());
      row(out, "base url", c.baseUrl());
      row(out, "keys", String.join(", ", c.secrets().masked()));
      row(out, "models", String.join(", ", c.sortedModels()));
      row(out, "model mapping", pairs(c.modelMapping()));
      row(out, "priority", String.valueOf(c.priority()));
      row(out, "weight", String.valueOf(c.weight()));
      row(out, "groups", String.join(", ", c.groups().stream().sorted().toList()));
      row(out, "overrides", c.paramOverrides().toString());
      row(out, "extra headers", pairs(c.extraHeaders()));
      row(out, "timeouts", "connect " + ms(c.timeouts().connectMs()) + ", first byte " + ms(c.timeouts().firstByteMs())
          + ", idle " + ms(c.timeouts().idleMs()));
      row(out, "created", c.createdAt().toString());
      return 0;
    }

    private static void row(java.io.PrintWriter out, String label, String value) {
      out.printf("%-14s %s%n", label + ":", value);
    }

    private static String pairs(Map<String, String> map) {
      return map.isEmpty() ? "-" : String.join(", ", new java.util.TreeMap<>(map).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static String ms(Integer value) {
      return value == null ? "global" : value + " ms";
    }
  }

  static void requireKnownType(String type) {
    if (!Providers.builtIn().kinds().contains(type)) {
      throw new IllegalArgumentException("unknown type '" + type + "'; known: " + Providers.builtIn().kinds().stream().sorted().toList());
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
      out.printf("%-6s %-24s %-12s %-13s %-8s %-6s %-40s %s%n", "ID", "NAME", "TYPE", "STATUS", "PRIORITY", "WEIGHT", "BASE URL", "MODELS");
      for (Channel c : listing.channels()) {
        String reason = listing.reasons().get(c.id());
        out.printf("%-6d %-24s %-12s %-13s %-8d %-6d %-40s %s%s%n", c.id(), c.name(), c.type(), c.status().dbValue(),
            c.priority(), c.weight(), c.baseUrl(), String.join(",", c.sortedModels()),
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

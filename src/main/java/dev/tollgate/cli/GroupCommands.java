package dev.tollgate.cli;

import dev.tollgate.account.Group;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Caller groups for scripted setup. */
@Command(name = "group", description = "Manage caller groups.",
    subcommands = {GroupCommands.Set.class, GroupCommands.ListGroups.class, GroupCommands.Delete.class})
final class GroupCommands {

  @ParentCommand AdminCommand admin;

  @Command(name = "set", description = "Create a group or change it.")
  static final class Set implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Group name.") String name;
    @Option(names = "--models", split = ",", description = "Models the group may use (default: all).") List<String> models;
    @Option(names = "--ratio", description = "Price ratio, e.g. 0.8 (default 1).") BigDecimal ratio;
    @Option(names = "--description") String description;

    @Override
    public Integer call() {
      Group saved = parent.admin.withStores(stores -> {
        Group current = stores.groups().find(name).orElse(null);
        return stores.groups().save(new Group(name,
            description != null ? description : current == null ? null : current.description(),
            models != null ? new HashSet<>(models) : current == null ? java.util.Set.of() : current.models(),
            ratio != null ? ratio : current == null ? BigDecimal.ONE : current.priceRatio()));
      });
      spec.commandLine().getErr().println("group '" + saved.name() + "' saved (ratio " + saved.priceRatio().toPlainString()
          + ", models " + (saved.models().isEmpty() ? "all" : String.join(",", saved.models().stream().sorted().toList())) + ")");
      return 0;
    }
  }

  @Command(name = "list", description = "List groups.")
  static final class ListGroups implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Group> groups = parent.admin.withStores(stores -> stores.groups().list());
      var out = spec.commandLine().getOut();
      out.printf("%-16s %-8s %s%n", "NAME", "RATIO", "MODELS");
      for (Group g : groups) {
        out.printf("%-16s %-8s %s%n", g.name(), g.priceRatio().toPlainString(),
            g.models().isEmpty() ? "all" : String.join(",", g.models().stream().sorted().toList()));
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a group nobody is in (not 'default').")
  static final class Delete implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Group name.") String name;

    @Override
    public Integer call() {
      if (Group.DEFAULT.equals(name)) {
        throw new IllegalArgumentException("the group 'default' cannot be deleted");
      }
      boolean deleted = parent.admin.withStores(stores -> {
        long members = stores.groups().members(name);
        if (members > 0) {
          throw new IllegalArgumentException("the group '" + name + "' has " + members + " users; move them first");
        }
        return stores.groups().delete(name);
      });
      if (!deleted) {
        spec.commandLine().getErr().println("tollgate: no group named '" + name + "'");
        return 1;
      }
      spec.commandLine().getErr().println("group '" + name + "' deleted");
      return 0;
    }
  }
}

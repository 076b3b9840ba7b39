package dev.tollgate.cli;

import dev.tollgate.account.ApiKey;
import dev.tollgate.account.KeyService;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.billing.Money;
import dev.tollgate.config.Dates;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "key", description = "Manage API keys.",
    subcommands = {KeyCommands.Create.class, KeyCommands.ListKeys.class,
        KeyCommands.Enable.class, KeyCommands.Disable.class, KeyCommands.Delete.class})
final class KeyCommands {

  @ParentCommand AdminCommand admin;

  static long ownerId(dev.tollgate.App.Stores stores, String username) {
    return stores.users().findByUsername(username.strip().toLowerCase(java.util.Locale.ROOT))
        .orElseThrow(() -> new IllegalArgumentException("there is no user '" + username + "'")).id();
  }

  @Command(name = "create",
      description = "Create a key. Prints the full key alone on stdout, once: it cannot be shown again.")
  static final class Create implements Callable<Integer> {
    @ParentCommand KeyCommands parent;
    @Spec CommandSpec spec;

    @Option(names = "--name", required = true) String name;
    @Option(names = "--user", description = "Username of the owner (default: the root admin).") String user;
    @Option(names = "--quota", description = "Spending limit in cents (default: unlimited).") Long quotaCents;
    @Option(names = "--models", split = ",", description = "Models the key may use (default: all).") List<String> models;
    @Option(names = "--expires", description = "Expiry date, e.g. 2027-01-01 (UTC).") String expires;
    @Option(names = "--allow-ips", split = ",", description = "Client addresses or CIDR ranges the key may be used from (default: any).")
    List<String> allowIps;
    @Option(names = "--plan", description = "Plan id (default: none).") Long planId;

    @Override
    public Integer call() {
      var expiresAt = Dates.parse(expires);
      KeyService.CreatedKey created = parent.admin.withStores(stores -> {
        long owner = user == null ? stores.root().id() : ownerId(stores, user);
        return stores.keyService().create(owner, new KeyService.Settings(name, quotaCents,
            models == null ? null : new HashSet<>(models), expiresAt, allowIps == null ? null : new HashSet<>(allowIps),
            planId));
      });
      spec.commandLine().getOut().println(created.key());
      spec.commandLine().getErr().println("key " + created.stored().id() + " '" + name
          + "' created. Store it now: only its hash is kept, it cannot be shown again.");
      return 0;
    }
  }

  @Command(name = "list", description = "List keys (prefixes only), oldest first.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand KeyCommands parent;
    @Spec CommandSpec spec;
    @Option(names = "--user", description = "Only this user's keys.") String user;

    @Override
    public Integer call() {
      List<ApiKey> keys = parent.admin.withStores(stores -> {
        List<ApiKey> all = stores.keys().listVisible();
        if (user == null) {
          return all;
        }
        long owner = ownerId(stores, user);
        return all.stream().filter(key -> key.userId() == owner).toList();
      });
      var out = spec.commandLine().getOut();
      out.printf("%-6s %-6s %-24s %-14s %-9s %-12s %-12s %-22s %s%n", "ID", "USER", "NAME", "PREFIX", "STATUS", "QUOTA(¢)",
          "USED(¢)", "EXPIRES", "MODELS");
      for (ApiKey k : keys) {
        out.printf("%-6d %-6d %-24s %-14s %-9s %-12s %-12d %-22s %s%n", k.id(), k.userId(), k.name(), k.keyPrefix() + "…",
            k.status().dbValue(), k.quotaLimit() == null ? "unlimited" : String.valueOf(Money.microsToCents(k.quotaLimit())),
            Money.microsToCents(k.usedQuota()), k.expiresAt() == null ? "never" : k.expiresAt().toString(),
            k.models().isEmpty() ? "all" : String.join(",", k.models().stream().sorted().toList()));
      }
      return 0;
    }
  }

  abstract static class StatusChange implements Callable<Integer> {
    @ParentCommand KeyCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Key id.") long id;

    abstract KeyStatus target();

    @Override
    public Integer call() {
      boolean changed = parent.admin.withStores(stores -> stores.keyService().setStatus(id, target()));
      return StatusReport.of(spec, "key", id, changed, target().dbValue());
    }
  }

  @Command(name = "enable", description = "Enable a key.")
  static final class Enable extends StatusChange {
    KeyStatus target() { return KeyStatus.ENABLED; }
  }

  @Command(name = "disable", description = "Disable a key.")
  static final class Disable extends StatusChange {
    KeyStatus target() { return KeyStatus.DISABLED; }
  }

  @Command(name = "delete", description = "Delete a key.")
  static final class Delete extends StatusChange {
    KeyStatus target() { return KeyStatus.DELETED; }
  }
}

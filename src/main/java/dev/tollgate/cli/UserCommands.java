package dev.tollgate.cli;

import dev.tollgate.account.AccountService;
import dev.tollgate.account.Role;
import dev.tollgate.account.User;
import dev.tollgate.account.UserAdministration;
import dev.tollgate.account.UserStatus;
import dev.tollgate.billing.Money;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Users for scripted setup. The CLI acts as the root admin, with the same rules as the API (no
 * second root; admins are made by root), except that it may set root's own password: whoever runs
 * it already holds the database.
 */
@Command(name = "user", description = "Manage users.",
    subcommands = {UserCommands.Create.class, UserCommands.ListUsers.class, UserCommands.Enable.class,
        UserCommands.Disable.class, UserCommands.Delete.class, UserCommands.SetPassword.class,
        UserCommands.TopUp.class, UserCommands.SetGroup.class})
final class UserCommands {

  @ParentCommand AdminCommand admin;

  /** The password from --password, or the first line of standard input (so it stays out of the shell history). */
  static String password(String option) {
    if (option != null) {
      return option;
    }
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("give the password with --password or on standard input");
      }
      return line;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the password from standard input: " + e.getMessage());
    }
  }

  static User find(dev.tollgate.App.Stores stores, String username) {
    return stores.users().findByUsername(username.strip().toLowerCase(Locale.ROOT))
        .orElseThrow(() -> new IllegalArgumentException("there is no user '" + username + "'"));
  }

  static UserAdministration administration(dev.tollgate.App.Stores stores) {
    return new UserAdministration(stores.users(), stores.accounts(), stores.providerKeys());
  }

  @Command(name = "create", description = "Create a user. Prints its id on stdout.")
  static final class Create implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;

    @Option(names = "--username", required = true) String username;
    @Option(names = "--password", description = "The password (default: read from standard input).") String password;
    @Option(names = "--email") String email;
    @Option(names = "--role", description = "user (default) or admin.") String role;
    @Option(names = "--group", description = "The user's group (default: default).") String group;
    @Option(names = "--quota", description = "Quota to start with, in cents.") Long quotaCents;

    @Override
    public Integer call() {
      String secret = password(password);
      User created = parent.admin.withStores(stores -> administration(stores).create(stores.root(),
          new AccountService.Registration(username, secret, email, null, null),
          role == null ? Role.USER : Role.parse(role), group, quotaCents));
      spec.commandLine().getOut().println(created.id());
      spec.commandLine().getErr().println("user " + created.id() + " '" + created.username() + "' created ("
          + created.role().dbValue() + ", group " + created.group() + ")");
      return 0;
    }
  }

  @Command(name = "list", description = "List users.")
  static final class ListUsers implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;
    @Option(names = "--search", description = "Part of a username, email or display name.") String search;

    @Override
    public Integer call() {
      List<User> users = parent.admin.withStores(stores -> stores.users().list(search, 0, Integer.MAX_VALUE));
      var out = spec.commandLine().getOut();
      out.printf("%-6s %-24s %-7s %-9s %-12s %-12s %-12s %s%n", "ID", "USERNAME", "ROLE", "STATUS", "GROUP", "QUOTA(¢)",
          "USED(¢)", "EMAIL");
      for (User u : users) {
        out.printf("%-6d %-24s %-7s %-9s %-12s %-12d %-12d %s%n", u.id(), u.username(), u.role().dbValue(),
            u.status().dbValue(), u.group(), Money.microsToCents(u.quota()), Money.microsToCents(u.usedQuota()),
            u.email() == null ? "" : u.email());
      }
      return 0;
    }
  }

  abstract static class StatusChange implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Username.") String username;

    abstract UserStatus target();

    @Override
    public Integer call() {
      long id = parent.admin.withStores(stores -> {
        User user = find(stores, username);
        UserAdministration admin = administration(stores);
        if (target() == UserStatus.DELETED) {
          admin.delete(stores.root(), user.id());
        } else {
          admin.setStatus(stores.root(), user.id(), target());
        }
        return user.id();
      });
      return StatusReport.of(spec, "user", id, true, target().dbValue());
    }
  }

  @Command(name = "enable", description = "Enable a user.")
  static final class Enable extends StatusChange {
    UserStatus target() { return UserStatus.ENABLED; }
  }

  @Command(name = "disable", description = "Disable a user: their keys and sessions stop working.")
  static final class Disable extends StatusChange {
    UserStatus target() { return UserStatus.DISABLED; }
  }

  @Command(name = "delete", description = "Delete a user: their keys stop working, their records stay.")
  static final class Delete extends StatusChange {
    UserStatus target() { return UserStatus.DELETED; }
  }

  @Command(name = "set-password", description = "Set a user's password (root's too); ends their sessions.")
  static final class SetPassword implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Username.") String username;
    @Option(names = "--password", description = "The password (default: read from standard input).") String password;

    @Override
    public Integer call() {
      String secret = password(password);
      parent.admin.withStores(stores -> {
        stores.accounts().resetPassword(find(stores, username).id(), secret);
        return null;
      });
      spec.commandLine().getErr().println("password of '" + username + "' set; their sessions have ended");
      return 0;
    }
  }

  @Command(name = "topup", description = "Add to (or, negative, take from) a user's quota, with a reason.")
  static final class TopUp implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Username.") String username;
    @Option(names = "--cents", required = true) long cents;
    @Option(names = "--reason", required = true) String reason;

    @Override
    public Integer call() {
      User after = parent.admin.withStores(stores -> administration(stores).update(stores.root(), find(stores, username).id(),
          new UserAdministration.AdminUpdate(null, null, null, null, null, null, cents, reason, null, null, null)));
      spec.commandLine().getOut().println(Money.microsToCents(after.quota()));
      return 0;
    }
  }

  @Command(name = "set-group", description = "Move a user to a group.")
  static final class SetGroup implements Callable<Integer> {
    @ParentCommand UserCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Username.") String username;
    @Parameters(index = "1", description = "Group name.") String group;

    @Override
    public Integer call() {
      parent.admin.withStores(stores -> administration(stores).update(stores.root(), find(stores, username).id(),
          new UserAdministration.AdminUpdate(null, null, null, null, null, group, null, null, null, null, null)));
      spec.commandLine().getErr().println("user '" + username + "' is now in group '" + group + "'");
      return 0;
    }
  }
}

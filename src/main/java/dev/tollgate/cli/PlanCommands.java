package dev.tollgate.cli;

import dev.tollgate.limit.Limits;
import dev.tollgate.limit.Plan;
import dev.tollgate.limit.PlanRepository;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Rate-limit plans for scripted setup (running servers pick changes up within a second). */
@Command(name = "plan", description = "Manage rate-limit plans.",
    subcommands = {PlanCommands.Set.class, PlanCommands.ListPlans.class, PlanCommands.Assign.class})
final class PlanCommands {

  @ParentCommand AdminCommand admin;

  @Command(name = "set", description = "Create a plan or change its limits (0 = no limit of that kind).")
  static final class Set implements Callable<Integer> {
    @ParentCommand PlanCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Plan name.") String name;
    @Option(names = "--qps", description = "Requests per second.") Long qps;
    @Option(names = "--rpm", description = "Requests per minute.") Long rpm;
    @Option(names = "--tpm", description = "Tokens per minute.") Long tpm;
    @Option(names = "--concurrency", description = "Requests in flight at once.") Integer concurrency;

    @Override
    public Integer call() {
      if (!name.matches("[a-z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("a plan's name is 1 to 64 characters from a-z, 0-9, '-' and '_'");
      }
      Plan saved = parent.admin.withStores(stores -> {
        PlanRepository plans = new PlanRepository(stores.sql());
        Limits now = plans.findByName(name).map(Plan::limits).orElse(Limits.NONE);
        return plans.put(name, new Limits(qps == null ? now.qps() : qps, rpm == null ? now.rpm() : rpm,
            tpm == null ? now.tpm() : tpm, concurrency == null ? now.maxConcurrent() : concurrency));
      });
      spec.commandLine().getOut().println(saved.id());
      spec.commandLine().getErr().println("plan '" + name + "' saved: " + describe(saved.limits()));
      return 0;
    }
  }

  @Command(name = "list", description = "List plans.")
  static final class ListPlans implements Callable<Integer> {
    @ParentCommand PlanCommands parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<Plan> plans = parent.admin.withStores(stores -> new PlanRepository(stores.sql()).list());
      var out = spec.commandLine().getOut();
      out.printf("%-6s %-20s %-8s %-8s %-12s %s%n", "ID", "NAME", "QPS", "RPM", "TPM", "CONCURRENCY");
      for (Plan p : plans) {
        out.printf("%-6d %-20s %-8d %-8d %-12d %d%n", p.id(), p.name(), p.limits().qps(), p.limits().rpm(),
            p.limits().tpm(), p.limits().maxConcurrent());
      }
      return 0;
    }
  }

  @Command(name = "assign", description = "Put a user on a plan ('none' takes it away); their keys without a plan follow it.")
  static final class Assign implements Callable<Integer> {
    @ParentCommand PlanCommands parent;
    @Spec CommandSpec spec;
    @Parameters(index = "0", description = "Username.") String username;
    @Parameters(index = "1", description = "Plan name, or none.") String plan;

    @Override
    public Integer call() {
      parent.admin.withStores(stores -> {
        long user = KeyCommands.ownerId(stores, username);
        Long planId = plan.equals("none") ? null : new PlanRepository(stores.sql()).findByName(plan)
            .orElseThrow(() -> new IllegalArgumentException("there is no plan '" + plan + "'")).id();
        stores.users().setPlan(user, planId);
        return null;
      });
      spec.commandLine().getErr().println("user '" + username + "' is on plan " + plan);
      return 0;
    }
  }

  private static String describe(Limits limits) {
    return "qps " + limits.qps() + ", rpm " + limits.rpm() + ", tpm " + limits.tpm() + ", concurrency "
        + limits.maxConcurrent() + " (0 = none)";
  }
}

package dev.tollgate.cli;

import picocli.CommandLine.Model.CommandSpec;

/** How enable/disable/delete commands report their outcome: one wording for every resource. */
final class StatusReport {

  private StatusReport() {}

  /** Prints the outcome and returns the exit code: 0 when changed, 1 when there was no such id. */
  static int of(CommandSpec spec, String resource, long id, boolean changed, String status) {
    if (!changed) {
      spec.commandLine().getErr().println("tollgate: no " + resource + " with id " + id);
      return 1;
    }
    spec.commandLine().getErr().println(resource + " " + id + " " + status + " (takes effect within 1 s)");
    return 0;
  }
}

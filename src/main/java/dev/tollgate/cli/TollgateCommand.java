package dev.tollgate.cli;

import dev.tollgate.account.AccountProblem;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "tollgate",
    mixinStandardHelpOptions = true,
    version = "tollgate 0.1.0",
    description = "Self-hosted LLM API gateway.",
    subcommands = {ServeCommand.class, AdminCommand.class})
public final class TollgateCommand {

  @Option(
      names = {"-c", "--config"},
      description = "YAML config file (default: ./tollgate.yaml if present, or $TOLLGATE_CONFIG).",
      scope = CommandLine.ScopeType.INHERIT)
  Path config;

  /** Runs the command line; returns the exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TollgateCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof AccountProblem) {
        commandLine.getErr().println("tollgate: " + e.getMessage());
        return 2;
      }
      // Operators get the cause chain in one line each, not a stack trace.
      StringBuilder message = new StringBuilder("tollgate: failed: ").append(e.getMessage());
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        message.append("\n  caused by: ").append(cause.getMessage());
      }
      commandLine.getErr().println(message);
      return 1;
    });
    return cli;
  }

  TollgateConfig loadConfig() {
    return new ConfigLoader().load(config, System.getenv());
  }
}

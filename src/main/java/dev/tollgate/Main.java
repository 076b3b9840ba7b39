package dev.tollgate;

import dev.tollgate.cli.TollgateCommand;

public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(TollgateCommand.run(args));
  }
}

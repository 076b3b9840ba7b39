package dev.tollgate.cli;

import dev.tollgate.App;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Start the gateway (until SIGTERM/SIGINT, then drain gracefully).")
final class ServeCommand implements Callable<Integer> {

  @ParentCommand TollgateCommand root;

  @Override
  public Integer call() throws InterruptedException {
    App app = App.start(root.loadConfig());
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM runs shutdown hooks: the app drains, flushes usage records and closes the database
    // before the JVM exits.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.stop();
      stopped.countDown();
    }, "tollgate-shutdown"));
    stopped.await();
    return 0;
  }
}

package dev.tollgate.db;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-memory copy of a table current: polls a cheap change stamp (say, row count and
 * latest update time) on its own thread and reloads when it moves, so a change made anywhere —
 * this process, the CLI, another replica — is seen within one poll. A failing poll is logged once
 * per outage (the database monitor reports the outage itself) and the previous copy stays in use.
 */
public final class ChangeWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeWatch.class);

  private final String what;
  private final Supplier<String> stamp;
  private final Runnable load;
  private final ScheduledExecutorService poller;
  private volatile String seen = "";
  private boolean failing; // the poller thread's only

  /**
   * @param what what is watched, for the log ("channel", "price")
   * @param load reads the table into memory
   */
  public ChangeWatch(String what, Supplier<String> stamp, Runnable load) {
    this.what = what;
    this.stamp = stamp;
    this.load = load;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, what + "-watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Loads now, then keeps watching every {@code pollMillis}. */
  public ChangeWatch start(long pollMillis) {
    reload();
    poller.scheduleWithFixedDelay(this::reloadIfChanged, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Loads at once (for changes made through this process). The stamp is read first: a change made during the load shows at the next poll. */
  public synchronized void reload() {
    seen = stamp.get();
    load.run();
  }

  private void reloadIfChanged() {
    try {
      if (!stamp.get().equals(seen)) {
        reload();
      }
      if (failing) {
        failing = false;
        LOG.info("{} reload works again", what);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.warn("{} reload failed; keeping the previous copy until it works: {}", what, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}

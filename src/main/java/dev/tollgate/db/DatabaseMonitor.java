package dev.tollgate.db;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows, without a query per request, whether the database answers: a probe every second on its
 * own thread. {@code /health} and the key cache read it; it logs each change once, not each probe.
 */
public final class DatabaseMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);

  private final BooleanSupplier probe;
  private final String description;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "database-monitor");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean up = true;
  private volatile long downSince;

  public DatabaseMonitor(BooleanSupplier probe, String description) {
    this.probe = probe;
    this.description = description;
  }

  public static DatabaseMonitor watching(Database database) {
    return new DatabaseMonitor(() -> database.isReachable(2), database.describe());
  }

  public DatabaseMonitor start(long periodMillis) {
    scheduler.scheduleWithFixedDelay(this::check, 0, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Probes now; also what the schedule runs. */
  public void check() {
    boolean answered;
    try {
      answered = probe.getAsBoolean();
    } catch (RuntimeException e) {
      answered = false;
    }
    if (answered && !up) {
      LOG.info("the database {} answers again after {} ms", description, System.currentTimeMillis() - downSince);
    } else if (!answered && up) {
      downSince = System.currentTimeMillis();
      LOG.error("the database {} does not answer: requests that need it fail with 503 until it is back;"
          + " cached keys and channels keep serving, usage records wait in memory", description);
    }
    up = answered;
  }

  public boolean isUp() {
    return up;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

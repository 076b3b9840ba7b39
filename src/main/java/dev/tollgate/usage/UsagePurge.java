package dev.tollgate.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention purge: once an hour (and at start), deletes usage records older than the retention
 * in chunks, on its own thread, pausing between chunks so that the writer and the log API are not
 * starved. Stats, attribution, budgets, the quota journal and the start-up reconciliation read the
 * rollups, which stay, so a purge changes none of them.
 */
public final class UsagePurge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsagePurge.class);
  static final int CHUNK = 5_000;
  private static final long PAUSE_MILLIS = 50;

  private final UsageRepository records;
  private final Duration retention;
  private final Clock clock;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread purge = new Thread(r, "usage-purge");
    purge.setDaemon(true);
    return purge;
  });
  private volatile boolean closed;

  public UsagePurge(UsageRepository records, Duration retention, Clock clock) {
    this.records = records;
    this.retention = retention;
    this.clock = clock;
  }

  public UsagePurge start(Duration every) {
    thread.scheduleWithFixedDelay(this::purgeQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Deletes every record older than the retention now; answers how many. */
  public long purge() {
    Instant cutoff = clock.instant().minus(retention);
    long deleted = 0;
    int chunk;
    do {
      chunk = records.purgeBefore(cutoff, CHUNK);
      deleted += chunk;
      if (chunk > 0) {
        pause();
      }
    } while (chunk > 0 && !closed);
    return deleted;
  }

  private void purgeQuietly() {
    try {
      long deleted = purge();
      if (deleted > 0) {
        LOG.info("retention: deleted {} usage records older than {} days", deleted, retention.toDays());
      }
    } catch (RuntimeException e) { // the database monitor reports outages; the next run tries again
      LOG.warn("retention purge failed, trying again later: {}", e.getMessage());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}

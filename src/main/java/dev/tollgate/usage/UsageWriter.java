package dev.tollgate.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records in batches on its own thread, off the request path.
 *
 * <p>{@link #submit} never blocks and never drops: the queue is unbounded because a record is an
 * acknowledged request that must be kept. A failed batch is retried (with back-off) rather than
 * discarded; {@link #close} drains everything before returning, which is what makes a graceful
 * shutdown lose nothing.
 */
public final class UsageWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  /**
   * Told of each record as it is submitted and again once it is committed, so that what is not
   * stored yet can be counted (budgets add it to what they read from the database).
   */
  public interface Listener {
    /** On the submitting thread (an event loop): must not block. */
    void submitted(UsageRecord record);

    /** On the writer's thread, right after the batch's transaction committed. */
    void committed(List<UsageRecord> batch);
  }

  private final UsageRepository repository;
  private final int batchSize;
  private final long flushIntervalMs;
  private final LinkedBlockingQueue<UsageRecord> queue = new LinkedBlockingQueue<>();
  private final AtomicLong written = new AtomicLong();
  /** Records taken from the queue and not yet committed (a batch being written or retried). */
  private volatile int writing;
  private final Thread thread;
  private volatile boolean closing;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /** Held while a batch commits and its listeners hear of it: see {@link #betweenBatches}. */
  private final ReentrantLock commits = new ReentrantLock();

  public UsageWriter(UsageRepository repository, int batchSize, long flushIntervalMs) {
    this.repository = repository;
    this.batchSize = batchSize;
    this.flushIntervalMs = flushIntervalMs;
    this.thread = new Thread(this::run, "usage-writer");
    this.thread.setDaemon(true); // close() is what waits for it; a dead database must not hang exit forever
    this.thread.start();
  }

  public void submit(UsageRecord record) {
    for (Listener listener : listeners) {
      listener.submitted(record);
    }
    queue.add(record);
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * Runs {@code read} while no batch is committing, so that what it reads from the database and
   * what the listeners have been told was committed agree: no record is in both or in neither.
   */
  public <T> T betweenBatches(Supplier<T> read) {
    commits.lock();
    try {
      return read.get();
    } finally {
      commits.unlock();
    }
  }

  /** Records submitted and not yet in the database: queued, or in the batch being written. */
  public int pending() {
    return queue.size() + writing;
  }

  public long written() {
    return written.get();
  }

  private void run() {
    List<UsageRecord> batch = new ArrayList<>(batchSize);
    long backoff = 0;
    while (true) {
      try {
        if (batch.isEmpty()) {
          UsageRecord first = queue.poll(flushIntervalMs, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing && queue.isEmpty()) {
              return;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
          writing = batch.size();
        }
        commit(batch);
        written.addAndGet(batch.size());
        batch.clear();
        writing = 0;
        backoff = 0;
      } catch (InterruptedException e) {
        // Interrupts are not how this thread is stopped (close() is): keep draining.
        Thread.interrupted();
      } catch (Exception e) {
        backoff = Math.min(MAX_BACKOFF_MS, backoff == 0 ? 100 : backoff * 2);
        LOG.error("writing {} usage records failed, retrying in {} ms: {}", batch.size(), backoff, e.getMessage());
        sleepQuietly(backoff);
      }
    }
  }

  private void commit(List<UsageRecord> batch) throws Exception {
    commits.lock();
    try {
      repository.insertAll(batch);
      List<UsageRecord> committed = List.copyOf(batch);
      for (Listener listener : listeners) {
        try {
          listener.committed(committed);
        } catch (RuntimeException e) { // the batch is stored: a listener's bug must not make it retried
          LOG.error("a usage writer listener failed", e);
        }
      }
    } finally {
      commits.unlock();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes every record submitted so far, then stops. Waits at most {@code timeoutMillis}. */
  public boolean close(long timeoutMillis) {
    closing = true;
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.error("usage writer did not finish in {} ms; {} records still pending", timeoutMillis, queue.size());
      return false;
    }
    return true;
  }

  @Override
  public void close() {
    close(60_000);
  }
}

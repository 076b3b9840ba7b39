package dev.tollgate.account;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers when each key was last used and writes it in batches, every few seconds, off the
 * request path: the relay only puts a number in a map. {@code lastUsedAt} is therefore up to one
 * interval behind; that is all a "last used" column is for.
 */
public final class LastUseRecorder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LastUseRecorder.class);

  private final ApiKeyRepository keys;
  private final Map<Long, Long> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "key-last-use");
    thread.setDaemon(true);
    return thread;
  });
  private boolean failing; // the writer thread's only

  public LastUseRecorder(ApiKeyRepository keys) {
    this.keys = keys;
  }

  public LastUseRecorder start(long intervalMillis) {
    writer.scheduleWithFixedDelay(this::flush, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Notes a use; cheap enough for every request. */
  public void used(long keyId, long atMillis) {
    pending.merge(keyId, atMillis, Math::max);
  }

  /** Writes what was noted since the last flush; on failure it is kept for the next one. */
  public synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<Long, Long> batch = new HashMap<>();
    for (Long id : pending.keySet()) {
      Long at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    try {
      keys.touchLastUsed(batch);
      failing = false;
    } catch (RuntimeException e) {
      batch.forEach((id, at) -> pending.merge(id, at, Math::max));
      if (!failing) {
        failing = true;
        LOG.warn("recording when keys were last used failed; retrying: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    flush();
  }
}

package dev.tollgate.relay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Thought signatures in this process's memory, bounded in count and age. A signature is needed
 * only for the next few turns of a tool loop, so an hour is plenty, and losing one (eviction, a
 * restart, a request served by another replica) only means the upstream decides without it.
 */
public final class LocalThoughtSignatures implements ThoughtSignatures {

  public static final Duration TTL = Duration.ofHours(1);

  private record Key(long keyId, String callId) {}

  private final Cache<Key, String> cache;

  public LocalThoughtSignatures(long maxEntries) {
    this(maxEntries, TTL, Ticker.systemTicker());
  }

  LocalThoughtSignatures(long maxEntries, Duration ttl, Ticker ticker) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(ttl)
        .ticker(ticker)
        .executor(Runnable::run) // maintenance is tiny; keep it off the common pool
        .build();
  }

  @Override
  public void remember(long keyId, String callId, String signature) {
    if (callId != null && signature != null && !signature.isEmpty()) {
      cache.put(new Key(keyId, callId), signature);
    }
  }

  @Override
  public String find(long keyId, String callId) {
    return callId == null ? null : cache.getIfPresent(new Key(keyId, callId));
  }

  /** Entries held now, after pending evictions; for tests. */
  long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }
}

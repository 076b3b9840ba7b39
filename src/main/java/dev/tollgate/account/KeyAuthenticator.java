package dev.tollgate.account;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Finds the caller (key, owner, group) behind a presented secret without a database read per request.
 *
 * <p>Entries are refreshed in the background every {@value #REFRESH_MS} ms while in use; one not
 * confirmed by the database within {@value #CONFIRMED_MS} ms is re-read before it is trusted, so a
 * key or user disabled or deleted anywhere (this node, the CLI in another process, another replica) stops
 * working within one second, and a busy key never waits for the database. Unknown secrets are
 * cached too (as empty), bounding the load that random keys can put on the database.
 *
 * <p>While the database is down, a key confirmed within the outage grace period keeps working on
 * what was last known (it cannot be re-checked, and refusing every caller would turn a database
 * blip into a full outage); others fail with {@link StorageUnavailableException}.
 */
public final class KeyAuthenticator {

  static final long REFRESH_MS = 400;
  static final long CONFIRMED_MS = 900;

  private final AsyncLoadingCache<String, Checked> byHash;
  private final BooleanSupplier databaseUp;
  private final Clock clock;
  private final long outageGraceMs;

  public KeyAuthenticator(
      StoredCallers repository, Executor blockingExecutor, BooleanSupplier databaseUp, Clock clock,
      Duration outageGrace) {
    this(repository, blockingExecutor, databaseUp, clock, Ticker.systemTicker(), outageGrace);
  }

  /** @param ticker the cache's own time, which tests drive together with {@code clock} */
  KeyAuthenticator(
      StoredCallers repository, Executor blockingExecutor, BooleanSupplier databaseUp, Clock clock,
      Ticker ticker, Duration outageGrace) {
    this.databaseUp = databaseUp;
    this.clock = clock;
    this.outageGraceMs = outageGrace.toMillis();
    long keepMs = Math.max(CONFIRMED_MS, outageGraceMs);
    this.byHash =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .refreshAfterWrite(Duration.ofMillis(REFRESH_MS))
            .expireAfter(Expiry.<String, Checked>writing((hash, checked) ->
                Duration.ofMillis(Math.max(0, checked.checkedAt() + keepMs - clock.millis()))))
            .executor(blockingExecutor)
            .ticker(ticker)
            .buildAsync(new Loader(repository, clock));
  }

  /** The caller behind a presented secret, if any (whatever the key's and the owner's status). */
  public CompletableFuture<Optional<Caller>> find(String presentedKey) {
    String hash = KeySecrets.hash(presentedKey);
    CompletableFuture<Checked> cached = byHash.getIfPresent(hash);
    if (cached == null && !databaseUp.getAsBoolean()) {
      return CompletableFuture.failedFuture(new StorageUnavailableException());
    }
    return byHash.get(hash).thenCompose(checked -> trusted(hash, checked));
  }

  private CompletableFuture<Optional<Caller>> trusted(String hash, Checked checked) {
    long age = clock.millis() - checked.checkedAt();
    if (age <= CONFIRMED_MS) {
      return CompletableFuture.completedFuture(checked.key());
    }
    if (!databaseUp.getAsBoolean()) {
      return age <= outageGraceMs
          ? CompletableFuture.completedFuture(checked.key())
          : CompletableFuture.failedFuture(new StorageUnavailableException());
    }
    // Idle for a while: ask the database before trusting what was known.
    return byHash.synchronous().refresh(hash).thenApply(fresh -> {
      if (fresh.checkedAt() > checked.checkedAt() || age <= outageGraceMs) {
        return fresh.key();
      }
      throw new StorageUnavailableException();
    });
  }

  /** Drops the cached entry after a change made through this node. */
  public void invalidate(String keyHash) {
    byHash.synchronous().invalidate(keyHash);
  }

  /** What the database said about a hash, and when. */
  record Checked(Optional<Caller> key, long checkedAt) {}

  private record Loader(StoredCallers repository, Clock clock) implements CacheLoader<String, Checked> {
    @Override
    public Checked load(String hash) {
      return new Checked(repository.byKeyHash(hash), clock.millis());
    }

    /** A failed re-read keeps what was known (with its old time), instead of dropping it. */
    @Override
    public Checked reload(String hash, Checked previous) {
      try {
        return load(hash);
      } catch (RuntimeException e) {
        return previous;
      }
    }
  }

  /** The key could not be checked because the database does not answer. */
  public static final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException() {
      super("the database does not answer", null, false, false);
    }
  }
}

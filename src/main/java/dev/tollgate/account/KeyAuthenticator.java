package dev.tollgate.account;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Finds the key behind a presented secret without a database read per request.
 *
 * <p>Entries are refreshed in the background every {@value #REFRESH_MS} ms while in use and
 * expire after {@value #EXPIRE_MS} ms, so a key disabled or deleted anywhere (this node, the CLI
 * in another process, another replica) stops working within one second, and a busy key never
 * waits for the database. Unknown secrets are cached too (as empty), bounding the load that
 * random keys can put on the database.
 */
public final class KeyAuthenticator {

  static final long REFRESH_MS = 400;
  static final long EXPIRE_MS = 900;

  private final AsyncLoadingCache<String, Optional<ApiKey>> byHash;

  public KeyAuthenticator(ApiKeyRepository repository, Executor blockingExecutor) {
    this.byHash =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .refreshAfterWrite(Duration.ofMillis(REFRESH_MS))
            .expireAfterWrite(Duration.ofMillis(EXPIRE_MS))
            .executor(blockingExecutor)
            .buildAsync(repository::findByHash);
  }

  /** The stored key for a presented secret, if any (whatever its status). */
  public CompletableFuture<Optional<ApiKey>> find(String presentedKey) {
    return byHash.get(KeySecrets.hash(presentedKey));
  }

  /** Drops the cached entry after a change made through this node. */
  public void invalidate(String keyHash) {
    byHash.synchronous().invalidate(keyHash);
  }
}

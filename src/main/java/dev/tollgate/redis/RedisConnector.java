package dev.tollgate.redis;

import dev.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** The Redis client Tollgate uses when {@code redis.url} is set. */
public final class RedisConnector {

  private RedisConnector() {}

  /**
   * A pooled client (wrap it in {@link PinnedRedis} for the hot path); it connects on first use and again after a connection is lost, so a Redis
   * that is down at start (or later) delays nothing but its own calls.
   */
  public static Redis client(Vertx vertx, TollgateConfig.Redis config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.url())
        .setMaxPoolSize(config.poolSize())
        // Requests queue for a connection rather than fail while the pool is busy under load.
        .setMaxPoolWaiting(64 * 1024)
        // Commands in flight on one pipelined connection (PinnedRedis) before it refuses more.
        .setMaxWaitingHandlers(64 * 1024)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(config.timeoutMs())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
    return Redis.createClient(vertx, options);
  }
}

package dev.tollgate.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.redis.PinnedRedis;
import dev.tollgate.redis.RedisConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the Redis tests use: this project's CI service on 127.0.0.1:6379. When nothing listens
 * there the tests skip with "SKIPPED: REDIS is not running" in the report (CI fails on that line
 * wherever Redis listens); a Redis that listens but refuses us fails them. Each test writes under
 * a key prefix of its own, so runs never see each other's counters.
 */
public final class TestRedis {

  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;

  private TestRedis() {}

  /** The server's URL; skips the calling test when nothing listens. */
  public static String url() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, PORT), 500);
    } catch (IOException e) {
      Assumptions.abort("SKIPPED: REDIS is not running on " + HOST + ":" + PORT + " (" + e.getMessage() + ")");
    }
    return "redis://" + HOST + ":" + PORT;
  }

  /** The same server on another port, e.g. a {@link TcpProxy} in front of it. */
  public static String urlVia(int port) {
    url();
    return "redis://" + HOST + ":" + port;
  }

  /** A client as the gateway makes it, every command bounded by {@code timeoutMillis}. */
  public static Redis client(Vertx vertx, String url, long timeoutMillis) {
    return new PinnedRedis(RedisConnector.client(vertx, TollgateConfig.Redis.at(url)), timeoutMillis);
  }

  public static Redis client(Vertx vertx, String url) {
    return client(vertx, url, 2_000);
  }

  public static String uniquePrefix() {
    return "tollgate-test:" + UUID.randomUUID() + ":";
  }
}

package dev.tollgate.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Redis through one pipelined connection per event loop: a command goes out on the caller's own
 * loop with no pool to take a connection from and give it back to, and no hop to another thread
 * (measured in bench/ mode limits: the pooled client cost about twice the CPU per command). A
 * connection that fails or does not answer within the timeout is closed and replaced on the next
 * command. Callers off an event loop (tests, start-up) use the pooled client.
 *
 * <p>Connections are found by the event loop's thread, not by the Vert.x context: every HTTP
 * request runs on a context of its own (a duplicate of its loop's), and keying by it would open
 * a connection per request until the pool ran dry.
 */
public final class PinnedRedis implements Redis {

  private final Redis pool;
  private final long timeoutMillis;
  private final Map<Thread, Future<RedisConnection>> pinned = new ConcurrentHashMap<>();

  public PinnedRedis(Redis pool, long timeoutMillis) {
    this.pool = pool;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<Response> send(Request command) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return pool.send(command).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
    Thread loop = Thread.currentThread();
    Future<RedisConnection> connection = pinned.computeIfAbsent(loop, this::connect);
    return connection
        .compose(open -> open.send(command))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .onFailure(err -> {
          if (err instanceof TimeoutException || connection.failed()) {
            drop(loop, connection); // a silent or refused connection: start afresh next time
          }
        });
  }

  private Future<RedisConnection> connect(Thread loop) {
    Future<RedisConnection> connecting = pool.connect();
    connecting.onSuccess(open -> {
      open.exceptionHandler(err -> pinned.remove(loop, connecting));
      open.endHandler(ended -> pinned.remove(loop, connecting));
    });
    return connecting;
  }

  /** Connections held now: one per event loop that sent a command, at most. */
  public int pinnedConnections() {
    return pinned.size();
  }

  private void drop(Thread loop, Future<RedisConnection> connection) {
    pinned.remove(loop, connection);
    connection.onSuccess(RedisConnection::close);
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return pool.batch(commands).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    pinned.values().forEach(connection -> connection.onSuccess(RedisConnection::close));
    pinned.clear();
    return pool.close();
  }
}

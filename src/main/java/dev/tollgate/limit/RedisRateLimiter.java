package dev.tollgate.limit;

import dev.tollgate.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RateLimiter} whose counters live in Redis, so every replica pointed at the same Redis
 * enforces one combined limit. One Lua script per admission ({@code admit.lua}) checks and spends
 * QPS, RPM, TPM and the concurrency slot atomically, with the same GCRA as {@link Gcra} in
 * microseconds; another ({@code finish.lua}) frees a concurrency slot when its request ends.
 *
 * <p>The TPM correction of an ended request (actual tokens minus the estimate) waits on this node
 * and rides along with the key's next admission, or goes out with {@link #flush} (the gateway
 * calls it every 200 ms): one Redis call per request instead of two for plans without a
 * concurrency limit (bench/ mode limits), at the price of other nodes seeing a correction up to
 * one flush late. Concurrency slots are freed at once: a client's next request may land anywhere.
 *
 * <p>Time is the Redis server's own clock, one clock for all replicas, unless a clock is given
 * (tests drive one). A concurrency slot is a lease: a node that dies mid-request cannot hold it
 * past the lease. Idle keys expire from Redis once their times have passed.
 *
 * <p>Fails its future when Redis fails or does not answer in time (the {@code Redis} given bounds
 * every command: {@code PinnedRedis}); {@link SharedRateLimiter} decides what happens then.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
  private static final LuaScript ADMIT = LuaScript.load(RedisRateLimiter.class, "admit.lua");
  private static final LuaScript FINISH = LuaScript.load(RedisRateLimiter.class, "finish.lua");
  private static final String[] REFUSED_BY = {null, "qps", "rpm", "tpm", "concurrency"};
  private static final long MINUTE_MICROS = TimeUnit.MINUTES.toMicros(1);

  private final Redis redis;
  private final String keyPrefix;
  private final LongSupplier clockNanos;
  private final String leaseMicros;
  /** Per key: microseconds to add to its TPM time, from requests that ended here since its last call. */
  private final Map<Long, Long> corrections = new ConcurrentHashMap<>();

  /**
   * @param keyPrefix starts every Redis key this limiter writes (deployments may share a Redis)
   * @param clockNanos wall-clock time in nanoseconds, the same for every instance; null = the
   *     Redis server's clock
   * @param leaseMillis how long a concurrency slot outlives a node that never gave it back
   */
  public RedisRateLimiter(Redis redis, String keyPrefix, LongSupplier clockNanos, long leaseMillis) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.clockNanos = clockNanos;
    this.leaseMicros = Long.toString(TimeUnit.MILLISECONDS.toMicros(leaseMillis));
  }

  /** Sends the scripts ahead of the first request, through {@code redis} (start-up; Redis may be away). */
  public static Future<Void> loadScripts(Redis redis) {
    return Future.all(ADMIT.preload(redis), FINISH.preload(redis)).mapEmpty();
  }

  @Override
  public Future<Admission> admit(long keyId, String requestId, Limits limits, long estimatedTokens) {
    if (limits.isNone()) {
      return Future.succeededFuture(Admission.unlimited());
    }
    long tokens = Math.max(0, estimatedTokens);
    String[] keys = keys(keyId);
    Long correction = corrections.remove(keyId);
    String[] args = {now(), Long.toString(limits.qps()), Long.toString(limits.rpm()), Long.toString(limits.tpm()),
        Integer.toString(limits.maxConcurrent()), Long.toString(tokens), requestId, leaseMicros,
        correction == null ? "0" : Long.toString(correction)};
    Future<Response> reply = ADMIT.run(redis, keys, args);
    if (correction != null) {
      reply.onFailure(err -> corrections.merge(keyId, correction, Long::sum)); // not applied: keep it for later
    }
    return reply.map(answer -> admission(answer, limits, new RedisPermit(keyId, requestId, limits, tokens)));
  }

  /** Sends every correction still waiting (periodically, and at shutdown); fails when Redis does. */
  public Future<Void> flush() {
    List<Future<Void>> sent = new ArrayList<>();
    for (Long keyId : List.copyOf(corrections.keySet())) {
      Long correction = corrections.remove(keyId);
      if (correction != null && correction != 0) {
        sent.add(finish(keyId, "", correction).onFailure(err -> corrections.merge(keyId, correction, Long::sum)));
      }
    }
    return Future.all(sent).mapEmpty();
  }

  /** Keys with a correction waiting on this node. */
  int waitingCorrections() {
    return corrections.size();
  }

  private Future<Void> finish(long keyId, String requestId, long correction) {
    return FINISH.run(redis, keys(keyId), new String[] {now(), requestId, Long.toString(correction)}).mapEmpty();
  }

  private static Admission admission(Response reply, Limits limits, Permit permit) {
    String refusedBy = REFUSED_BY[reply.get(0).toInteger()];
    long retryAfter = reply.get(1).toLong();
    return new Admission(refusedBy, retryAfter < 0 ? -1 : TimeUnit.MICROSECONDS.toNanos(retryAfter),
        limits.rpm(), reply.get(2).toLong(), TimeUnit.MICROSECONDS.toNanos(reply.get(3).toLong()),
        limits.tpm(), reply.get(4).toLong(), TimeUnit.MICROSECONDS.toNanos(reply.get(5).toLong()),
        refusedBy == null ? permit : null);
  }

  /** One hash tag per key: both of its Redis keys sit in one cluster slot, as a script needs. */
  private String[] keys(long keyId) {
    String base = keyPrefix + "rate:{" + keyId + "}";
    return new String[] {base, base + ":inflight"};
  }

  private String now() {
    return clockNanos == null ? "" : Long.toString(TimeUnit.NANOSECONDS.toMicros(clockNanos.getAsLong()));
  }

  private final class RedisPermit implements Permit {
    private final long keyId;
    private final String requestId;
    private final Limits limits;
    private final long estimatedTokens;

    RedisPermit(long keyId, String requestId, Limits limits, long estimatedTokens) {
      this.keyId = keyId;
      this.requestId = requestId;
      this.limits = limits;
      this.estimatedTokens = estimatedTokens;
    }

    @Override
    public Future<Void> release(long actualTokens) {
      long correction = limits.tpm() == 0 || actualTokens == estimatedTokens
          ? 0
          : (actualTokens - estimatedTokens) * Math.max(1, MINUTE_MICROS / limits.tpm());
      if (limits.maxConcurrent() == 0) {
        if (correction != 0) {
          corrections.merge(keyId, correction, Long::sum);
        }
        return Future.succeededFuture();
      }
      return finish(keyId, requestId, correction).recover(err -> {
        LOG.debug("rate limits: releasing request {} in Redis failed (its lease ends it): {}", requestId, err.toString());
        return Future.succeededFuture();
      });
    }
  }
}

package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter against this machine's Redis (127.0.0.1:6379; skipped with a reason when
 * nothing listens there): the whole contract on the test's clock, then what sharing adds.
 */
class RedisRateLimiterTest extends RateLimiterContract {

  private static final long LEASE_MS = 10_000;
  private static Vertx vertx;
  private static Redis redis;
  private String prefix;

  @BeforeAll
  static void connect() {
    String url = TestRedis.url();
    vertx = Vertx.vertx();
    redis = TestRedis.client(vertx, url);
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Override
  RateLimiter newLimiter() {
    prefix = TestRedis.uniquePrefix();
    return limiterOn(redis);
  }

  private RateLimiter limiterOn(Redis client) {
    return new RedisRateLimiter(client, prefix, now::get, LEASE_MS);
  }

  private String send(Request request) throws Exception {
    var response = redis.send(request).await(5, TimeUnit.SECONDS);
    return response == null ? null : response.toString();
  }

  @Test
  void twoLimitersSharingOneRedisEnforceOneCombinedLimit() throws Exception {
    Vertx otherNode = Vertx.vertx();
    try {
      RateLimiter first = limiter;
      RateLimiter second = limiterOn(TestRedis.client(otherNode, TestRedis.url()));
      Limits rpm = new Limits(0, 20, 0, 0);
      int allowed = 0;
      for (int i = 0; i < 20; i++) {
        allowed += admitted(first, 1, rpm, 1, 0) + admitted(second, 1, rpm, 1, 0);
      }
      assertThat(allowed).as("20 per minute in all, not 20 per node").isEqualTo(20);

      Limits one = new Limits(0, 0, 0, 1);
      Admission running = admit(first, 2, one, 0);
      assertThat(admit(second, 2, one, 0).refusedBy()).as("the other node sees the slot taken").isEqualTo("concurrency");
      released(running.permit().release(0));
      assertThat(admit(second, 2, one, 0).allowed()).isTrue();
    } finally {
      otherNode.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTpmCorrectionRidesWithTheKeysNextAdmissionAndReachesOtherNodesWithTheFlush() throws Exception {
    Vertx otherNode = Vertx.vertx();
    try {
      RedisRateLimiter here = (RedisRateLimiter) limiter;
      RateLimiter there = limiterOn(TestRedis.client(otherNode, TestRedis.url()));
      Limits tokens = new Limits(0, 0, 40_000, 0);
      released(admit(here, 1, tokens, 30_000).permit().release(5_000));
      assertThat(here.waitingCorrections()).as("no call of its own for the correction").isEqualTo(1);

      assertThat(admit(there, 1, tokens, 30_000).allowed()).as("the other node has not heard yet").isFalse();
      here.flush().await(5, TimeUnit.SECONDS);
      assertThat(here.waitingCorrections()).isZero();
      assertThat(admit(there, 1, tokens, 30_000).allowed()).as("after the flush it has").isTrue();

      released(admit(here, 2, tokens, 20_000).permit().release(0));
      assertThat(admit(here, 2, tokens, 30_000).allowed()).as("the next admission here carries it").isTrue();
      assertThat(here.waitingCorrections()).isZero();
    } finally {
      otherNode.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCorrectionThatCouldNotBeSentIsKept() throws Exception {
    try (dev.tollgate.testing.TcpProxy proxy = new dev.tollgate.testing.TcpProxy(TestRedis.HOST, TestRedis.PORT)) {
      RedisRateLimiter viaProxy = (RedisRateLimiter) limiterOn(TestRedis.client(vertx, TestRedis.urlVia(proxy.port()), 300));
      Limits tokens = new Limits(0, 0, 40_000, 0);
      released(admit(viaProxy, 1, tokens, 30_000).permit().release(0));
      proxy.down();

      io.vertx.core.Future<Admission> unanswered = viaProxy.admit(1, "r", tokens, 100);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> unanswered.await(5, TimeUnit.SECONDS)).isNotNull();
      assertThat(viaProxy.waitingCorrections()).isEqualTo(1);
      proxy.up();

      assertThat(admit(viaProxy, 1, tokens, 40_000).allowed()).as("the 30,000 unused tokens came back").isTrue();
    }
  }

  @Test
  void aSlotHeldByANodeThatWentAwayEndsWithItsLease() {
    Limits one = new Limits(0, 0, 0, 1);
    assertThat(admit(1, one, 0).allowed()).isTrue(); // never released: its node died
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(LEASE_MS) - 1_000);
    assertThat(admit(1, one, 0).allowed()).as("a microsecond before the lease ends").isFalse();

    now.addAndGet(1_000);

    assertThat(admit(1, one, 0).allowed()).as("the lease is over").isTrue();
  }

  @Test
  void idleKeysExpireFromRedisOnceTheirTimesHavePassed() throws Exception {
    assertThat(admit(7, FREE, 100).allowed()).isTrue();

    // The RPM time runs furthest ahead (3 s for one request); the state lives that long and 1 s more.
    long ttl = Long.parseLong(send(Request.cmd(Command.PTTL).arg(prefix + "rate:{7}")));
    assertThat(ttl).isBetween(3_000L, 4_000L);
    assertThat(send(Request.cmd(Command.EXISTS).arg(prefix + "rate:{7}:inflight")))
        .as("nothing kept for a plan without a concurrency limit").isEqualTo("0");
  }

  @Test
  void theRedisServersClockServesWhenNoClockIsGiven() {
    RateLimiter serverClock = new RedisRateLimiter(redis, TestRedis.uniquePrefix(), null, LEASE_MS);
    Limits qps = new Limits(2, 0, 0, 0);
    assertThat(admitted(serverClock, 1, qps, 5, 0)).isEqualTo(2);

    Admission refused = admit(serverClock, 1, qps, 0);

    assertThat(refused.refusedBy()).isEqualTo("qps");
    assertThat(refused.retryAfterNanos()).isBetween(1L, SECOND / 2);
  }

  @Test
  void scriptsFlushedFromRedisAreSentAgain() throws Exception {
    assertThat(admit(1, FREE, 10).allowed()).isTrue();
    send(Request.cmd(Command.SCRIPT).arg("FLUSH"));

    assertThat(admit(1, FREE, 10).allowed()).isTrue();
    assertThat(admit(1, FREE, 10).allowed()).as("and the state survived").isFalse();
  }
}

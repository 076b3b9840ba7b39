package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.LogCapture;
import dev.tollgate.testing.SilentServer;
import dev.tollgate.testing.TcpProxy;
import dev.tollgate.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away under the shared limiter, through a proxy the test takes down (the machine's
 * Redis itself stays up): fail-open limits on this node alone, fail-closed refuses, neither hangs,
 * and both come back to the shared counters when Redis does.
 */
class SharedRateLimiterTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final Limits TWO_PER_SECOND = new Limits(2, 0, 0, 0);

  private final AtomicLong clock = new AtomicLong(1_700_000_000L * SECOND);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private Vertx vertx;
  private TcpProxy proxy;

  @BeforeEach
  void start() {
    TestRedis.url();
    vertx = Vertx.vertx();
    proxy = new TcpProxy(TestRedis.HOST, TestRedis.PORT);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private SharedRateLimiter limiter(String url, boolean failOpen) {
    RedisRateLimiter redis = new RedisRateLimiter(
        TestRedis.client(vertx, url, 300), TestRedis.uniquePrefix(), clock::get, 10_000);
    return new SharedRateLimiter(redis, new LocalRateLimiter(clock::get), failOpen, clock::get, metrics);
  }

  private static Admission admit(RateLimiter limiter, Limits limits) throws Exception {
    return limiter.admit(1, UUID.randomUUID().toString(), limits, 0).await(5, TimeUnit.SECONDS);
  }

  private static List<Admission> admitMany(RateLimiter limiter, Limits limits, int count) throws Exception {
    List<Admission> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(admit(limiter, limits));
    }
    return answers;
  }

  private double failures() {
    return metrics.get("tollgate.ratelimit.redis.failures").counter().count();
  }

  private double reachable() {
    return metrics.get("tollgate.ratelimit.redis.reachable").gauge().value();
  }

  @Test
  void failOpenLimitsOnThisNodeAloneWhileRedisIsAwayAndSaysSoOnce() throws Exception {
    SharedRateLimiter limiter = limiter(TestRedis.urlVia(proxy.port()), true);
    assertThat(admitMany(limiter, TWO_PER_SECOND, 3)).extracting(Admission::allowed).containsExactly(true, true, false);
    clock.addAndGet(SECOND);

    try (LogCapture logs = LogCapture.start()) {
      proxy.down();
      List<Admission> answers = admitMany(limiter, TWO_PER_SECOND, 5);

      assertThat(answers).extracting(Admission::allowed).as("this node's own counters: 2 per second still")
          .containsExactly(true, true, false, false, false);
      assertThat(answers.get(2).refusedBy()).isEqualTo("qps");
      assertThat(limiter.redisReachable()).isFalse();
      assertThat(reachable()).isZero();
      assertThat(failures()).as("one failed call, then a second without trying").isEqualTo(1);
      assertThat(logs.lines()).filteredOn(line -> line.contains("Redis does not answer")).singleElement()
          .satisfies(line -> assertThat(line).contains("fail-open"));
    }
  }

  @Test
  void failClosedRefusesLimitedKeysWhileRedisIsAway() throws Exception {
    SharedRateLimiter limiter = limiter(TestRedis.urlVia(proxy.port()), false);
    assertThat(admit(limiter, TWO_PER_SECOND).allowed()).isTrue();
    proxy.down();

    Admission refused = admit(limiter, TWO_PER_SECOND);

    assertThat(refused.refusedBy()).isEqualTo(Admission.UNAVAILABLE);
    assertThat(refused.retryAfterNanos()).isEqualTo(SECOND);
    assertThat(admit(limiter, Limits.NONE).allowed()).as("keys without limits need no Redis").isTrue();
  }

  @Test
  void theSharedCountersResumeWhenRedisAnswersAgain() throws Exception {
    SharedRateLimiter limiter = limiter(TestRedis.urlVia(proxy.port()), true);
    assertThat(admitMany(limiter, TWO_PER_SECOND, 2)).extracting(Admission::allowed).containsOnly(true);
    proxy.down();
    admit(limiter, TWO_PER_SECOND);
    assertThat(limiter.redisReachable()).isFalse();

    try (LogCapture logs = LogCapture.start()) {
      proxy.up();
      clock.addAndGet(SharedRateLimiter.RETRY_NANOS); // the back-off is over: the next call tries Redis

      assertThat(admit(limiter, TWO_PER_SECOND).allowed()).isTrue();
      assertThat(limiter.redisReachable()).isTrue();
      assertThat(reachable()).isEqualTo(1);
      assertThat(logs.lines()).anyMatch(line -> line.contains("Redis answers again"));
    }
  }

  @Test
  void aRedisThatNeverAnswersCostsOneTimeoutNotAHang() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      SharedRateLimiter limiter = limiter("redis://127.0.0.1:" + silent.port(), true);

      long started = System.nanoTime();
      Admission first = admit(limiter, TWO_PER_SECOND);
      long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      started = System.nanoTime();
      Admission second = admit(limiter, TWO_PER_SECOND);
      long secondMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(first.allowed()).isTrue();
      assertThat(second.allowed()).isTrue();
      assertThat(firstMillis).as("the 300 ms timeout, then the local counters").isBetween(250L, 2_000L);
      assertThat(secondMillis).as("no second wait within the back-off").isLessThan(100L);
    }
  }
}

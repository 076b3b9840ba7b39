package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process limiter on a clock the test moves. */
class LocalRateLimiterTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final Limits FREE = new Limits(2, 20, 40_000, 0);

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final LocalRateLimiter limiter = new LocalRateLimiter(now::get);

  private int admitted(long key, Limits limits, int tries, long tokens) {
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.admit(key, limits, tokens).allowed()) {
        allowed++;
        limiter.finish(key, limits, tokens, tokens);
      }
    }
    return allowed;
  }

  @Test
  void aMinuteLimitAllowsItsBurstThenOneRequestPerShare() {
    Limits rpm = new Limits(0, 20, 0, 0);
    assertThat(admitted(1, rpm, 30, 0)).as("the whole burst at once").isEqualTo(20);
    int spaced = 0;
    for (int second = 1; second <= 60; second++) {
      now.addAndGet(SECOND);
      spaced += admitted(1, rpm, 5, 0);
    }
    assertThat(spaced).as("then one every 3 s").isEqualTo(20);
  }

  @Test
  void theFreePlanStartsWithTwoRequestsInItsFirstSecond() {
    assertThat(admitted(1, FREE, 10, 100)).isEqualTo(2);
    now.addAndGet(SECOND);
    assertThat(admitted(1, FREE, 10, 100)).isEqualTo(2);
  }

  @Test
  void theRefusalNamesTheLimitAndWhenToComeBack() {
    admitted(1, FREE, 2, 100);

    Admission refused = limiter.admit(1, FREE, 100);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.refusedBy()).isEqualTo("qps");
    assertThat(refused.retryAfterNanos()).isEqualTo(SECOND / 2);
    now.addAndGet(SECOND / 2);
    assertThat(limiter.admit(1, FREE, 100).allowed()).isTrue();
  }

  @Test
  void largePromptsAreStoppedByTokensPerMinuteBeforeTheUpstream() {
    Limits tokens = new Limits(0, 0, 40_000, 0);
    assertThat(limiter.admit(1, tokens, 30_000).allowed()).isTrue();

    Admission refused = limiter.admit(1, tokens, 30_000);
    assertThat(refused.refusedBy()).isEqualTo("tpm");
    assertThat(refused.retryAfterNanos()).isEqualTo(30 * SECOND);
    assertThat(refused.tokenLimit()).isEqualTo(40_000);
    assertThat(refused.tokensRemaining()).isEqualTo(10_000);
    assertThat(limiter.admit(1, tokens, 90_000).neverFits()).isTrue();
  }

  @Test
  void theActualUsageCorrectsTheTokenBudget() {
    Limits tokens = new Limits(0, 0, 40_000, 0);
    assertThat(limiter.admit(1, tokens, 30_000).allowed()).isTrue();
    assertThat(limiter.admit(1, tokens, 30_000).allowed()).isFalse();

    limiter.finish(1, tokens, 30_000, 5_000); // it used far less than it might have

    assertThat(limiter.admit(1, tokens, 30_000).allowed()).isTrue();
  }

  @Test
  void theConcurrencyLimitCountsRequestsInFlight() {
    Limits two = new Limits(0, 0, 0, 2);
    assertThat(limiter.admit(1, two, 0).allowed()).isTrue();
    assertThat(limiter.admit(1, two, 0).allowed()).isTrue();
    assertThat(limiter.admit(1, two, 0).refusedBy()).isEqualTo("concurrency");

    limiter.finish(1, two, 0, 0);

    assertThat(limiter.admit(1, two, 0).allowed()).isTrue();
  }

  @Test
  void keysAreLimitedApartAndIdleOnesLeaveMemory() {
    assertThat(admitted(1, FREE, 5, 10)).isEqualTo(2);
    assertThat(admitted(2, FREE, 5, 10)).isEqualTo(2);
    assertThat(limiter.size()).isEqualTo(2);

    assertThat(limiter.sweep()).as("their minute is not over").isZero();
    now.addAndGet(60 * SECOND);
    assertThat(limiter.sweep()).isEqualTo(2);
    assertThat(limiter.size()).isZero();
    assertThat(admitted(1, FREE, 5, 10)).as("a swept key starts afresh, as it would have").isEqualTo(2);
  }

  @Test
  void concurrentAdmissionsNeverExceedTheLimit() throws Exception {
    Limits rpm = new Limits(0, 50, 0, 0);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return limiter.admit(9, rpm, 0).allowed();
      }));
    }
    start.countDown();
    int allowed = 0;
    for (Future<Boolean> result : results) {
      allowed += result.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(allowed).isEqualTo(50);
  }

  @Test
  void noLimitsAdmitEverything() {
    assertThat(admitted(1, Limits.NONE, 1_000, 1_000_000)).isEqualTo(1_000);
    assertThat(limiter.size()).as("nothing kept for unlimited keys").isZero();
  }
}

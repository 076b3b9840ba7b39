package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} must do, on a clock the test moves (no sleeps): exact admission
 * counts, no double burst at a window's edge, exact Retry-After, token-weighted TPM corrected by
 * the actual usage, and the concurrency cap. Each implementation runs it.
 */
abstract class RateLimiterContract {

  static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  static final Limits FREE = new Limits(2, 20, 40_000, 0);

  /** Wall-clock time as the limiters see it; tests move it. */
  final AtomicLong now = new AtomicLong(1_700_000_000L * SECOND);
  RateLimiter limiter;

  /** A limiter reading {@link #now}. */
  abstract RateLimiter newLimiter();

  @BeforeEach
  void createLimiter() {
    limiter = newLimiter();
  }

  Admission admit(RateLimiter on, long key, Limits limits, long tokens) {
    try {
      return on.admit(key, UUID.randomUUID().toString(), limits, tokens).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("admission failed", e);
    }
  }

  Admission admit(long key, Limits limits, long tokens) {
    return admit(limiter, key, limits, tokens);
  }

  /** Tries {@code tries} requests, each released at once with what it estimated; returns how many were admitted. */
  int admitted(RateLimiter on, long key, Limits limits, int tries, long tokens) {
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
      Admission admission = admit(on, key, limits, tokens);
      if (admission.allowed()) {
        allowed++;
        released(admission.permit().release(tokens));
      }
    }
    return allowed;
  }

  /** Waits until the counters show the release (Redis applies it asynchronously). */
  static void released(io.vertx.core.Future<Void> release) {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("release failed", e);
    }
  }

  int admitted(long key, Limits limits, int tries, long tokens) {
    return admitted(limiter, key, limits, tries, tokens);
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
  void theEdgeOfAWindowNeverLetsTwiceTheLimitThrough() {
    // A fixed window would take 20 at 59.9 s and 20 more at 60.0 s.
    Limits rpm = new Limits(0, 20, 0, 0);
    now.addAndGet(59_900_000_000L);
    int before = admitted(1, rpm, 40, 0);
    now.addAndGet(100_000_000L);
    int after = admitted(1, rpm, 40, 0);

    assertThat(before + after).isEqualTo(20);
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

    Admission refused = admit(1, FREE, 100);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.permit()).isNull();
    assertThat(refused.refusedBy()).isEqualTo("qps");
    assertThat(refused.retryAfterNanos()).isEqualTo(SECOND / 2);
    now.addAndGet(SECOND / 2 - 1_000);
    assertThat(admit(1, FREE, 100).allowed()).as("a microsecond early").isFalse();
    now.addAndGet(1_000);
    assertThat(admit(1, FREE, 100).allowed()).as("exactly when Retry-After said").isTrue();
  }

  @Test
  void retryAfterIsTheWaitOfTheSlowestLimit() {
    Limits both = new Limits(2, 2, 0, 0);
    assertThat(admitted(1, both, 5, 0)).isEqualTo(2);

    // The second's budget is back in 0.5 s, the minute's in 30 s: the minute's wait is the answer.
    Admission refused = admit(1, both, 0);

    assertThat(refused.refusedBy()).isEqualTo("rpm");
    assertThat(refused.retryAfterNanos()).isEqualTo(30 * SECOND);
    assertThat(refused.requestLimit()).isEqualTo(2);
    assertThat(refused.requestsRemaining()).isZero();
    assertThat(refused.requestsResetNanos()).isEqualTo(60 * SECOND);
  }

  @Test
  void largePromptsAreStoppedByTokensPerMinuteBeforeTheUpstream() {
    Limits tokens = new Limits(0, 0, 40_000, 0);
    Admission first = admit(1, tokens, 30_000);
    assertThat(first.allowed()).isTrue();
    assertThat(first.tokensRemaining()).isEqualTo(10_000);

    Admission refused = admit(1, tokens, 30_000);
    assertThat(refused.refusedBy()).isEqualTo("tpm");
    assertThat(refused.retryAfterNanos()).as("the time 20,000 more tokens take to come back").isEqualTo(30 * SECOND);
    assertThat(refused.tokenLimit()).isEqualTo(40_000);
    assertThat(refused.tokensRemaining()).isEqualTo(10_000);
    assertThat(refused.tokensResetNanos()).isEqualTo(45 * SECOND);
    assertThat(admit(1, tokens, 90_000).neverFits()).as("larger than the whole limit").isTrue();
    assertThat(admit(1, tokens, 10_000).allowed()).as("a smaller one still fits").isTrue();
  }

  @Test
  void theActualUsageCorrectsTheTokenBudget() {
    Limits tokens = new Limits(0, 0, 40_000, 0);
    Admission big = admit(1, tokens, 30_000);
    assertThat(admit(1, tokens, 30_000).allowed()).isFalse();

    released(big.permit().release(5_000)); // it used far less than it might have

    assertThat(admit(1, tokens, 30_000).allowed()).isTrue();
  }

  @Test
  void usageAboveTheEstimateIsCountedToo() {
    Limits tokens = new Limits(0, 0, 40_000, 0);
    released(admit(1, tokens, 10_000).permit().release(35_000)); // asked for little, used much

    Admission refused = admit(1, tokens, 10_000);

    assertThat(refused.refusedBy()).isEqualTo("tpm");
    assertThat(refused.tokensRemaining()).isEqualTo(5_000);
  }

  @Test
  void theConcurrencyLimitCountsRequestsInFlight() {
    Limits two = new Limits(0, 0, 0, 2);
    Admission first = admit(1, two, 0);
    assertThat(first.allowed()).isTrue();
    assertThat(admit(1, two, 0).allowed()).isTrue();
    Admission third = admit(1, two, 0);
    assertThat(third.refusedBy()).isEqualTo("concurrency");
    assertThat(third.retryAfterNanos()).isEqualTo(SECOND);

    released(first.permit().release(0));

    assertThat(admit(1, two, 0).allowed()).isTrue();
    assertThat(admit(1, two, 0).allowed()).isFalse();
  }

  @Test
  void keysAreLimitedApart() {
    assertThat(admitted(1, FREE, 5, 10)).isEqualTo(2);
    assertThat(admitted(2, FREE, 5, 10)).isEqualTo(2);
  }

  @Test
  void concurrentAdmissionsNeverExceedTheLimit() throws Exception {
    Limits rpm = new Limits(0, 50, 0, 0);
    List<io.vertx.core.Future<Admission>> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < 25; i++) {
          io.vertx.core.Future<Admission> admission = limiter.admit(9, UUID.randomUUID().toString(), rpm, 0);
          synchronized (results) {
            results.add(admission);
          }
        }
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    int allowed = 0;
    for (io.vertx.core.Future<Admission> result : results) {
      allowed += result.await(10, TimeUnit.SECONDS).allowed() ? 1 : 0;
    }

    assertThat(results).hasSize(200);
    assertThat(allowed).isEqualTo(50);
  }

  @Test
  void noLimitsAdmitEverything() {
    assertThat(admitted(1, Limits.NONE, 1_000, 1_000_000)).isEqualTo(1_000);
  }
}

package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GCRA arithmetic on a clock the test moves: exact admission counts, no sleeps. */
class GcraTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  /** Runs {@code tries} requests of weight 1 at {@code now}; returns how many were allowed and the new TAT. */
  private static long[] burst(Gcra.Rate rate, long tat, long now, int tries) {
    int allowed = 0;
    for (int i = 0; i < tries; i++) {
      Gcra.Verdict verdict = Gcra.check(rate, tat, now, 1);
      if (verdict.allowed()) {
        allowed++;
        tat = verdict.newTat();
      }
    }
    return new long[] {allowed, tat};
  }

  @Test
  void aFreshKeyMayBurstTheWholeLimitAndNoMore() {
    Gcra.Rate rpm = Gcra.Rate.of(20, MINUTE);

    long[] result = burst(rpm, 0, 1_000 * SECOND, 50);

    assertThat(result[0]).isEqualTo(20);
  }

  @Test
  void afterABurstOneMoreConformsEveryEmissionInterval() {
    Gcra.Rate rpm = Gcra.Rate.of(20, MINUTE); // one every 3 s
    long now = 1_000 * SECOND;
    long tat = burst(rpm, 0, now, 20)[1];

    Gcra.Verdict refused = Gcra.check(rpm, tat, now, 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterNanos()).isEqualTo(3 * SECOND);
    assertThat(Gcra.check(rpm, tat, now + 3 * SECOND - 1, 1).allowed()).isFalse();
    assertThat(Gcra.check(rpm, tat, now + 3 * SECOND, 1).allowed()).isTrue();
  }

  @Test
  void theEdgeOfAWindowNeverLetsTwiceTheLimitThrough() {
    // A fixed window would allow 20 at 59.9 s and 20 more at 60.0 s.
    Gcra.Rate rpm = Gcra.Rate.of(20, MINUTE);
    long start = 1_000 * SECOND;
    long[] first = burst(rpm, 0, start + 59_900_000_000L, 40);
    long[] second = burst(rpm, first[1], start + 60_000_000_000L, 40);

    assertThat(first[0] + second[0]).isEqualTo(20);
    // Over any whole minute from the first request, at most 20 + 20 (the burst, then the rate).
    long[] later = burst(rpm, second[1], start + 59_900_000_000L + MINUTE, 40);
    assertThat(first[0] + second[0] + later[0]).isLessThanOrEqualTo(40);
  }

  @Test
  void queriesPerSecondAreSpacedTheSameWay() {
    Gcra.Rate qps = Gcra.Rate.of(2, SECOND);
    long now = 5 * SECOND;
    assertThat(burst(qps, 0, now, 10)[0]).isEqualTo(2);
    long allowedOverFiveSeconds = 0;
    long tat = burst(qps, 0, now, 2)[1];
    for (long t = now; t <= now + 5 * SECOND; t += 100_000_000L) {
      long[] step = burst(qps, tat, t, 1);
      allowedOverFiveSeconds += step[0];
      tat = step[1];
    }
    assertThat(allowedOverFiveSeconds).isEqualTo(10);
  }

  @Test
  void tokensWeighRequestsAndRetryAfterIsTheWaitForThisSize() {
    Gcra.Rate tpm = Gcra.Rate.of(40_000, MINUTE);
    long now = 1_000 * SECOND;

    Gcra.Verdict big = Gcra.check(tpm, 0, now, 30_000);
    assertThat(big.allowed()).isTrue();
    assertThat(big.remaining()).isEqualTo(10_000);
    Gcra.Verdict second = Gcra.check(tpm, big.newTat(), now, 30_000);
    assertThat(second.allowed()).isFalse();
    // 20,000 tokens of room are missing: they come back at 40,000 a minute, in 30 s.
    assertThat(second.retryAfterNanos()).isEqualTo(30 * SECOND);
    assertThat(Gcra.check(tpm, big.newTat(), now + 30 * SECOND, 30_000).allowed()).isTrue();
    assertThat(Gcra.check(tpm, big.newTat(), now, 10_000).allowed()).as("a smaller one fits now").isTrue();
  }

  @Test
  void aRequestLargerThanTheWholeLimitNeverFits() {
    Gcra.Verdict verdict = Gcra.check(Gcra.Rate.of(40_000, MINUTE), 0, SECOND, 50_000);

    assertThat(verdict.allowed()).isFalse();
    assertThat(verdict.neverFits()).isTrue();
  }

  @Test
  void remainingAndResetDescribeTheBucket() {
    Gcra.Rate rpm = Gcra.Rate.of(60, MINUTE); // one a second
    long now = 100 * SECOND;
    Gcra.Verdict first = Gcra.check(rpm, 0, now, 1);

    assertThat(first.remaining()).isEqualTo(59);
    assertThat(first.resetNanos()).isEqualTo(SECOND);
    Gcra.Verdict tenLater = Gcra.check(rpm, first.newTat(), now + 10 * SECOND, 1);
    assertThat(tenLater.remaining()).as("the first one has long been paid back").isEqualTo(59);
  }
}

package dev.tollgate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-process limiter: the whole contract, and its memory bound. */
class LocalRateLimiterTest extends RateLimiterContract {

  @Override
  RateLimiter newLimiter() {
    return new LocalRateLimiter(now::get);
  }

  private LocalRateLimiter local() {
    return (LocalRateLimiter) limiter;
  }

  @Test
  void idleKeysLeaveMemory() {
    assertThat(admitted(1, FREE, 5, 10)).isEqualTo(2);
    assertThat(admitted(2, FREE, 5, 10)).isEqualTo(2);
    assertThat(local().size()).isEqualTo(2);

    assertThat(local().sweep()).as("their minute is not over").isZero();
    now.addAndGet(60 * SECOND);
    assertThat(local().sweep()).isEqualTo(2);
    assertThat(local().size()).isZero();
    assertThat(admitted(1, FREE, 5, 10)).as("a swept key starts afresh, as it would have").isEqualTo(2);
  }

  @Test
  void aKeyWithARequestInFlightIsNotSwept() {
    Admission running = admit(1, new Limits(0, 0, 0, 1), 0);
    now.addAndGet(3_600 * SECOND);

    assertThat(local().sweep()).isZero();
    released(running.permit().release(0));
    assertThat(local().sweep()).isEqualTo(1);
  }

  @Test
  void unlimitedKeysKeepNothing() {
    admitted(1, Limits.NONE, 100, 10);
    assertThat(local().size()).isZero();
  }
}

package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.DrivenClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The breaker's states on a driven clock: 5 failures in a row, or 50 % of 20 calls in 60 s; 30 s cool-down. */
class CircuitBreakerTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  private final DrivenClock clock = new DrivenClock(START);
  private final ChannelHealth health = new ChannelHealth(new TollgateConfig.Circuit(5, 50, 20, 60, 30), clock, 120_000);
  private final CircuitBreaker breaker = health.of(7);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure();
    }
  }

  private void open() {
    fail(5);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void opensAfterFiveFailuresInARow() {
    fail(4);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aSuccessStartsTheCountOfFailuresInARowAgain() {
    fail(4);
    breaker.onSuccess();
    fail(4);

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void opensWhenHalfOfTwentyCallsInTheWindowFailed() {
    for (int i = 0; i < 9; i++) {
      breaker.onSuccess();
      breaker.onFailure();
      clock.advance(Duration.ofSeconds(2));
    }
    breaker.onSuccess();
    assertThat(breaker.state()).as("19 calls are too few to judge").isEqualTo(CircuitState.CLOSED);

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void callsOlderThanTheWindowNoLongerCount() {
    for (int i = 0; i < 9; i++) {
      breaker.onSuccess();
      breaker.onFailure();
    }
    breaker.onSuccess();
    clock.advance(Duration.ofSeconds(61));

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aLowFailureRateKeepsItClosed() {
    for (int i = 0; i < 200; i++) {
      breaker.onSuccess();
      breaker.onSuccess();
      breaker.onFailure();
      clock.advance(Duration.ofMillis(500));
    }

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void afterTheCoolDownExactlyOneProbeGoesThrough() {
    open();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("while the probe is out").isFalse();
    assertThat(health.mayTry(7)).isFalse();
  }

  @Test
  void aSuccessfulProbeClosesTheCircuit() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onSuccess();

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    fail(4);
    assertThat(breaker.state()).as("the failures before it are forgotten").isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aFailedProbeOpensTheCircuitForAnotherCoolDown() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.status().openedAt()).isEqualTo(START.plusSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aProbeThatEndsWithoutAVerdictLetsTheNextOneThrough() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onNeither(); // e.g. its client went away

    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aProbeThatNeverReportsIsReplacedAfterTheProbeTimeout() {
    open();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    clock.advance(Duration.ofSeconds(119));
    assertThat(breaker.tryAcquire()).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void resultsOfCallsFromBeforeItOpenedDoNotEndTheCoolDown() {
    open();

    breaker.onSuccess();

    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void healthProbesCloseOrReopenAnOpenCircuit() {
    open();
    clock.advance(Duration.ofSeconds(10));
    breaker.onProbeFailure();
    assertThat(breaker.status().openedAt()).as("a new cool-down").isEqualTo(START.plusSeconds(10));

    breaker.onProbeSuccess();

    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void theSnapshotShowsEachCalledChannelsCircuit() {
    health.of(3).onSuccess();
    open();

    assertThat(health.snapshot()).containsOnlyKeys(3L, 7L);
    assertThat(health.snapshot().get(3L)).isEqualTo(new ChannelHealth.Status(CircuitState.CLOSED, 0, null));
    assertThat(health.snapshot().get(7L)).isEqualTo(new ChannelHealth.Status(CircuitState.OPEN, 5, START));
    assertThat(health.openChannels()).containsExactly(7L);
  }
}

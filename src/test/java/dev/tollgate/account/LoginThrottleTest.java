package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.DrivenClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final DrivenClock clock = new DrivenClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void fiveFailuresAreFreeThenEachAttemptWaitsTwiceAsLong() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("alice", "10.0.0.1");
      assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isZero();
    }
    throttle.failed("alice", "10.0.0.1");
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isEqualTo(2);

    clock.advance(Duration.ofSeconds(2));
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isZero();
    throttle.failed("alice", "10.0.0.1");
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isEqualTo(4);
    throttle.failed("alice", "10.0.0.1");
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isEqualTo(8);
  }

  @Test
  void theWaitIsCappedAtFiveMinutes() {
    for (int i = 0; i < 40; i++) {
      throttle.failed("alice", "10.0.0.1");
    }
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isEqualTo(300);
  }

  @Test
  void oneAddressGuessingManyUsersIsSlowedDownAndSoIsOneUserFromManyAddresses() {
    for (int i = 0; i < 19; i++) {
      throttle.failed("user" + i, "10.0.0.9");
    }
    assertThat(throttle.waitSeconds("someone-else", "10.0.0.9")).as("19 from one address are free").isZero();
    throttle.failed("user19", "10.0.0.9");
    assertThat(throttle.waitSeconds("someone-else", "10.0.0.9")).as("by address").isEqualTo(2);
    assertThat(throttle.waitSeconds("someone-else", "10.0.0.10")).isZero();

    for (int i = 0; i < 5; i++) {
      throttle.failed("bob", "192.168.0." + i);
    }
    assertThat(throttle.waitSeconds("bob", "192.168.1.1")).as("by user").isPositive();
  }

  @Test
  void aSuccessClearsTheUsersCountButNotTheAddresss() {
    for (int i = 0; i < 20; i++) {
      throttle.failed("alice", "10.0.0.1");
    }
    throttle.succeeded("alice");

    assertThat(throttle.waitSeconds("alice", "10.0.0.2")).isZero();
    assertThat(throttle.waitSeconds("alice", "10.0.0.1")).isPositive();
  }
}

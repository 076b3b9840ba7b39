package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSecrets;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.testing.DrivenClock;
import dev.tollgate.usage.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** One request's attempts on driven time: 3 calls at most, within 1 000 ms. */
class AttemptsTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final DrivenClock clock = new DrivenClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final ChannelHealth health = new ChannelHealth(new TollgateConfig.Circuit(2, 50, 20, 60, 30), clock, 1_000);
  private final List<String> disabled = new ArrayList<>();
  private final Failover failover = new Failover(
      3, 1_000, health, (channel, reason) -> disabled.add(channel.id() + ": " + reason), nanos::get);

  private static List<Channel> channels(long... ids) {
    return LongStream.of(ids).mapToObj(id -> new Channel(id, "c" + id, "openai", "https://c" + id + ".example/v1",
        new ChannelSecrets(List.of("sk-" + id)), Set.of("m"), Map.of(), 0, 1, ParamOverrides.NONE, Map.of(),
        ChannelTimeouts.NONE, Set.of("default"), ChannelStatus.ENABLED, Instant.EPOCH)).toList();
  }

  private void elapse(long ms) {
    nanos.addAndGet(ms * 1_000_000);
  }

  @Test
  void atMostMaxAttemptsCallsAreMade() {
    Attempts attempts = failover.start(channels(1, 2, 3, 4, 5), nanos.get());
    List<Long> called = new ArrayList<>();
    for (Channel c = attempts.next(); c != null; c = attempts.next()) {
      called.add(c.id());
      assertThat(attempts.mayRetry()).isEqualTo(called.size() < 3);
      attempts.failed(500);
    }

    assertThat(called).containsExactly(1L, 2L, 3L);
  }

  @Test
  void channelsWhoseCircuitIsOpenAreSkippedWithoutUsingAnAttempt() {
    health.of(1).onFailure();
    health.of(1).onFailure();
    health.of(3).onFailure();
    health.of(3).onFailure();
    Attempts attempts = failover.start(channels(1, 2, 3, 4, 5), nanos.get());

    assertThat(attempts.next().id()).isEqualTo(2);
    attempts.failed(503);
    assertThat(attempts.next().id()).isEqualTo(4);
    attempts.failed(503);
    assertThat(attempts.next().id()).isEqualTo(5);
  }

  @Test
  void noCandidateLeftIsNoAvailableNode() {
    health.of(1).onFailure();
    health.of(1).onFailure();
    Attempts attempts = failover.start(channels(1), nanos.get());

    assertThat(attempts.next()).isNull();
    assertThat(attempts.finalError(null).code()).isEqualTo(ErrorCode.NO_AVAILABLE_NODE);
  }

  @Test
  void theLastCallsErrorIsTheAnswerWhenTheCandidatesRunOut() {
    Attempts attempts = failover.start(channels(1), nanos.get());
    attempts.next();
    attempts.failed(500);
    GatewayError last = GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream failed with HTTP 500");

    assertThat(attempts.next()).isNull();
    assertThat(attempts.finalError(last)).isEqualTo(last);
  }

  @Test
  void afterTheDeadlineNoCallStartsAndTheAnswerIs504() {
    Attempts attempts = failover.start(channels(1, 2, 3), nanos.get());
    attempts.next();
    elapse(1_000);
    attempts.failed(Attempts.TIMEOUT);

    assertThat(attempts.mayRetry()).isFalse();
    assertThat(attempts.next()).isNull();
    assertThat(attempts.finalError(GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "x")).message()).contains("deadline of 1000 ms");
    assertThat(attempts.close()).containsExactly(new UsageRecord.Attempt(1, null, Attempts.DEADLINE, 1_000));
    assertThat(health.of(1).status().consecutiveFailures()).as("the deadline cut it, not the channel").isZero();
  }

  @Test
  void everyCallIsRecordedWithItsOutcomeAndDuration() {
    Attempts attempts = failover.start(channels(1, 2, 3), nanos.get());
    attempts.next();
    elapse(12);
    attempts.failed(Attempts.CONNECT);
    attempts.next();
    elapse(300);
    attempts.failed(Attempts.TIMEOUT);
    attempts.next();
    elapse(8);
    attempts.answered(200);

    assertThat(attempts.close()).containsExactly(
        new UsageRecord.Attempt(1, null, "connect", 12),
        new UsageRecord.Attempt(2, null, "timeout", 300),
        new UsageRecord.Attempt(3, 200, null, 8));
    assertThat(health.of(1).status().consecutiveFailures()).isEqualTo(1);
    assertThat(health.of(2).status().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void anUnusableChannelIsDisabledAndDoesNotCountAgainstItsCircuit() {
    Attempts attempts = failover.start(channels(1, 2), nanos.get());
    attempts.next();

    attempts.unusable(401, "the upstream refused the channel's key");

    assertThat(disabled).containsExactly("1: the upstream refused the channel's key");
    assertThat(health.of(1).status().consecutiveFailures()).isZero();
    assertThat(attempts.next().id()).isEqualTo(2);
  }

  @Test
  void aCallStillOpenWhenTheRequestEndsIsRecordedAsCancelledAndFreesTheProbe() {
    health.of(1).onFailure();
    health.of(1).onFailure();
    clock.advance(java.time.Duration.ofSeconds(30));
    Attempts attempts = failover.start(channels(1), nanos.get());
    assertThat(attempts.next().id()).as("the half-open probe").isEqualTo(1);

    assertThat(attempts.close()).containsExactly(new UsageRecord.Attempt(1, null, "cancelled", 0));
    assertThat(health.of(1).tryAcquire()).as("another probe may go").isTrue();
  }
}

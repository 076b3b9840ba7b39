package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSecrets;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import dev.tollgate.channel.ChannelStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Weighted order on a seeded random source: the shares are checked with a chi-square test. */
class ChannelRouterWeightsTest {

  private static final int DRAWS = 10_000;
  /** Chi-square, 3 degrees of freedom, p = 0.001: a fair router fails this once in a thousand seeds. */
  private static final double CHI_SQUARE_3_DF_P001 = 16.27;

  private static Channel channel(long id, int priority, int weight) {
    return new Channel(id, "c" + id, "openai", "https://c" + id + ".example/v1", new ChannelSecrets(List.of("sk")),
        Set.of("m"), Map.of(), priority, weight, ParamOverrides.NONE, Map.of(), ChannelTimeouts.NONE,
        Set.of("default"), ChannelStatus.ENABLED, Instant.EPOCH);
  }

  private static ChannelRouter router(List<Channel> byPriority, long seed) {
    Random random = new Random(seed);
    return new ChannelRouter((model, group) -> byPriority, () -> random);
  }

  private static double chiSquare(Map<Long, Integer> observed, Map<Long, Double> expectedShare) {
    double sum = 0;
    for (var entry : expectedShare.entrySet()) {
      double expected = entry.getValue() * DRAWS;
      double diff = observed.getOrDefault(entry.getKey(), 0) - expected;
      sum += diff * diff / expected;
    }
    return sum;
  }

  @Test
  void firstPicksFollowTheWeights() {
    ChannelRouter router = router(List.of(channel(1, 0, 1), channel(2, 0, 2), channel(3, 0, 3), channel(4, 0, 4)), 7);
    Map<Long, Integer> first = new HashMap<>();

    for (int i = 0; i < DRAWS; i++) {
      first.merge(router.candidates("m", "default").getFirst().id(), 1, Integer::sum);
    }

    assertThat(chiSquare(first, Map.of(1L, 0.1, 2L, 0.2, 3L, 0.3, 4L, 0.4))).isLessThan(CHI_SQUARE_3_DF_P001);
  }

  @Test
  void theFailoverChannelAfterAFirstPickFollowsTheRemainingWeights() {
    // Given channel 4 (weight 4) went first, the second is drawn from 1, 2, 3 with weights 1:2:3.
    ChannelRouter router = router(List.of(channel(1, 0, 1), channel(2, 0, 2), channel(3, 0, 3), channel(4, 0, 4)), 11);
    Map<Long, Integer> second = new HashMap<>();
    int counted = 0;
    while (counted < DRAWS) {
      List<Channel> order = router.candidates("m", "default");
      if (order.getFirst().id() == 4) {
        second.merge(order.get(1).id(), 1, Integer::sum);
        counted++;
      }
    }

    double chi = chiSquare(second, Map.of(1L, 1 / 6.0, 2L, 2 / 6.0, 3L, 3 / 6.0));
    assertThat(chi).isLessThan(13.82); // 2 degrees of freedom, p = 0.001
  }

  @Test
  void aLowerPriorityGroupIsNeverTriedBeforeAHigherOne() {
    ChannelRouter router = router(List.of(channel(1, 9, 1), channel(2, 9, 1), channel(3, 0, 1000)), 3);

    for (int i = 0; i < DRAWS; i++) {
      List<Channel> order = router.candidates("m", "default");
      assertThat(order.get(2).id()).isEqualTo(3);
    }
  }

  @Test
  void theSameSeedGivesTheSameOrders() {
    List<Channel> channels = List.of(channel(1, 0, 1), channel(2, 0, 5), channel(3, 0, 2));
    ChannelRouter a = router(channels, 99);
    ChannelRouter b = router(channels, 99);

    for (int i = 0; i < 100; i++) {
      assertThat(a.candidates("m", "default")).isEqualTo(b.candidates("m", "default"));
    }
  }
}

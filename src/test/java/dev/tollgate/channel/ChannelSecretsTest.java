package dev.tollgate.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelSecretsTest {

  @Test
  void keysAreHandedOutInTurn() {
    ChannelSecrets secrets = new ChannelSecrets(List.of("sk-one", "sk-two", "sk-three"));
    List<String> handed = new ArrayList<>();

    for (int i = 0; i < 6; i++) {
      handed.add(secrets.next());
    }

    assertThat(handed).containsExactly("sk-one", "sk-two", "sk-three", "sk-one", "sk-two", "sk-three");
  }

  @Test
  void concurrentRequestsShareTheKeysEvenly() throws Exception {
    ChannelSecrets secrets = new ChannelSecrets(List.of("a", "b"));
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4000; i++) {
      pool.submit(() -> counts.computeIfAbsent(secrets.next(), k -> new AtomicInteger()).incrementAndGet());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(counts.get("a").get()).isEqualTo(2000);
    assertThat(counts.get("b").get()).isEqualTo(2000);
  }

  @Test
  void maskShowsAPrefixAndTheLastFourOnly() {
    assertThat(ChannelSecrets.mask("sk-proj-abcdefghijklmnop1234")).isEqualTo("sk-…1234");
    assertThat(ChannelSecrets.mask("AIzaSyA-0123456789abcd")).isEqualTo("…abcd");
    assertThat(ChannelSecrets.mask("sk-short")).isEqualTo("sk-…");
    assertThat(new ChannelSecrets(List.of("sk-abcdefghijklmnop", "gsk_0123456789wxyz")).masked())
        .containsExactly("sk-…mnop", "…wxyz");
  }

  @Test
  void neverPrintsAKey() {
    assertThat(new ChannelSecrets(List.of("sk-secret-value-123")).toString()).doesNotContain("secret");
  }

  @Test
  void atLeastOneNonBlankKey() {
    assertThatThrownBy(() -> new ChannelSecrets(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChannelSecrets(Arrays.asList("a", " "))).isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalThoughtSignaturesTest {

  private final AtomicLong nanos = new AtomicLong();
  private final LocalThoughtSignatures store = new LocalThoughtSignatures(3, Duration.ofHours(1), nanos::get);

  @Test
  void aRememberedSignatureIsFoundByItsKeyAndCall() {
    store.remember(1, "call_a", "sig-a");

    assertThat(store.find(1, "call_a")).isEqualTo("sig-a");
  }

  @Test
  void anotherKeyOrAnotherCallFindsNothing() {
    store.remember(1, "call_a", "sig-a");

    assertThat(store.find(2, "call_a")).as("another API key").isNull();
    assertThat(store.find(1, "call_b")).as("another call").isNull();
    assertThat(store.find(1, null)).isNull();
  }

  @Test
  void emptyOrMissingSignaturesAreNotKept() {
    store.remember(1, "call_a", "");
    store.remember(1, "call_b", null);
    store.remember(1, null, "sig");

    assertThat(store.size()).isZero();
  }

  @Test
  void aSignatureExpiresAfterAnHour() {
    store.remember(1, "call_a", "sig-a");

    nanos.addAndGet(Duration.ofMinutes(59).toNanos());
    assertThat(store.find(1, "call_a")).isEqualTo("sig-a");
    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(store.find(1, "call_a")).isNull();
  }

  @Test
  void theStoreNeverHoldsMoreThanItsMaximum() {
    for (int i = 0; i < 50; i++) {
      store.remember(1, "call_" + i, "sig-" + i);
    }

    assertThat(store.size()).isLessThanOrEqualTo(3);
  }
}

package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private static ApiKey key(KeyStatus status, Long quotaLimit, long used, Set<String> models, Instant expires) {
    return new ApiKey(1, 1, "k", "hash", "sk-abcdefgh", status, quotaLimit, used, models, expires, null, Set.of(),
        NOW.minusSeconds(3600), null);
  }

  @Test
  void enabledKeyWithoutExpiryIsUsable() {
    assertThat(key(KeyStatus.ENABLED, null, 0, Set.of(), null).isUsable(NOW)).isTrue();
  }

  @Test
  void disabledAndDeletedKeysAreNotUsable() {
    assertThat(key(KeyStatus.DISABLED, null, 0, Set.of(), null).isUsable(NOW)).isFalse();
    assertThat(key(KeyStatus.DELETED, null, 0, Set.of(), null).isUsable(NOW)).isFalse();
  }

  @Test
  void keyIsUsableUntilItsExpiryInstantExclusive() {
    ApiKey key = key(KeyStatus.ENABLED, null, 0, Set.of(), NOW);

    assertThat(key.isUsable(NOW.minusMillis(1))).isTrue();
    assertThat(key.isUsable(NOW)).isFalse();
    assertThat(key.isUsable(NOW.plusSeconds(1))).isFalse();
  }

  @Test
  void quotaIsExhaustedOnceUsageReachesTheLimit() {
    assertThat(key(KeyStatus.ENABLED, 100L, 99, Set.of(), null).quotaExhausted()).isFalse();
    assertThat(key(KeyStatus.ENABLED, 100L, 100, Set.of(), null).quotaExhausted()).isTrue();
    assertThat(key(KeyStatus.ENABLED, 100L, 150, Set.of(), null).quotaExhausted()).isTrue();
    assertThat(key(KeyStatus.ENABLED, 0L, 0, Set.of(), null).quotaExhausted()).isTrue();
  }

  @Test
  void keyWithoutLimitIsNeverExhausted() {
    assertThat(key(KeyStatus.ENABLED, null, Long.MAX_VALUE, Set.of(), null).quotaExhausted()).isFalse();
  }

  @Test
  void emptyModelListAllowsEveryModel() {
    assertThat(key(KeyStatus.ENABLED, null, 0, Set.of(), null).mayUse("anything")).isTrue();
  }

  @Test
  void modelListRestrictsToExactNames() {
    ApiKey key = key(KeyStatus.ENABLED, null, 0, Set.of("gpt-4o-mini"), null);

    assertThat(key.mayUse("gpt-4o-mini")).isTrue();
    assertThat(key.mayUse("gpt-4o")).isFalse();
    assertThat(key.mayUse("GPT-4O-MINI")).isFalse();
  }

  @Test
  void modelSetIsCopiedDefensively() {
    java.util.Set<String> models = new java.util.HashSet<>(Set.of("a"));
    ApiKey key = key(KeyStatus.ENABLED, null, 0, models, null);

    models.add("b");

    assertThat(key.mayUse("b")).isFalse();
  }

  @Test
  void statusRoundTripsThroughItsDatabaseValue() {
    for (KeyStatus status : KeyStatus.values()) {
      assertThat(KeyStatus.fromDb(status.dbValue())).isEqualTo(status);
      assertThat(status.dbValue()).isLowerCase();
    }
  }
}

package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void decimalCentsAreExactMicroCents() {
    assertThat(Money.parseCents("250")).isEqualTo(250_000_000L);
    assertThat(Money.parseCents("0.25")).isEqualTo(250_000L);
    assertThat(Money.parseCents("0.000001")).isEqualTo(1L);
    assertThat(Money.parseCents(" 1e2 ")).isEqualTo(100_000_000L);
    assertThat(Money.parseCents("0.1000000")).isEqualTo(100_000L);
    assertThat(Money.parseCents("-3")).isEqualTo(-3_000_000L);
  }

  @Test
  void moreThanSixDecimalsOrTooMuchIsRefused() {
    assertThatThrownBy(() -> Money.parseCents("0.0000001")).hasMessageContaining("at most 6 decimal places");
    assertThatThrownBy(() -> Money.parseCents("1e30")).hasMessageContaining("too many cents");
    assertThatThrownBy(() -> Money.parseCents("abc")).hasMessageContaining("not a number of cents");
  }

  @Test
  void microCentsReadBackAsTheDecimalCentsTheyCameFrom() {
    assertThat(Money.microsAsCents(250_500_000L)).isEqualTo(new BigDecimal("250.5"));
    assertThat(Money.microsAsCents(1L).toPlainString()).isEqualTo("0.000001");
    assertThat(Money.microsAsCents(300_000_000L).toPlainString()).isEqualTo("300");
    assertThat(Money.microsAsCents(0).toPlainString()).isEqualTo("0");
    assertThat(Money.microsToCents(-1)).isEqualTo(-1);
    assertThat(Money.microsToCents(1_999_999)).isEqualTo(1);
  }
}

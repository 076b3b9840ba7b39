package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ChargeTest {

  /** $3 / $15 per million tokens, cached input at $0.30. */
  private static final ModelPrice SONNET =
      new ModelPrice("sonnet", 300_000_000L, 1_500_000_000L, 30_000_000L, null, null, null);

  @Test
  void aFewTokensCostExactlyTheirShare() {
    // 1 input token at 300 cents per million = 0.0003 cents = 300 µ¢; 1 output = 1500 µ¢
    assertThat(Charge.of(SONNET, 1, 0, 0, BigDecimal.ONE)).isEqualTo(300);
    assertThat(Charge.of(SONNET, 1, 0, 1, BigDecimal.ONE)).isEqualTo(1_800);
    assertThat(Charge.of(SONNET, 0, 0, 0, BigDecimal.ONE)).isZero();
  }

  @Test
  void cachedTokensArePartOfThePromptAndCostTheCachedPrice() {
    // 1000 prompt tokens, 800 of them cached: 200 at 300 µ¢ each and 800 at 30 µ¢ each
    assertThat(Charge.of(SONNET, 1_000, 800, 0, BigDecimal.ONE)).isEqualTo(200 * 300 + 800 * 30);
    ModelPrice noCachedPrice = ModelPrice.tokens("m", 300_000_000L, 0);
    assertThat(Charge.of(noCachedPrice, 1_000, 800, 0, BigDecimal.ONE)).isEqualTo(300_000);
    assertThat(Charge.of(SONNET, 10, 50, 0, BigDecimal.ONE)).as("cached beyond the prompt is capped").isEqualTo(300);
  }

  @Test
  void theRatioAppliesOnceAndTheResultIsRoundedHalfUp() {
    ModelPrice cheap = ModelPrice.tokens("cheap", 1, 3); // 1 and 3 µ¢ per million tokens
    assertThat(Charge.of(cheap, 499_999, 0, 0, BigDecimal.ONE)).isZero();
    assertThat(Charge.of(cheap, 500_000, 0, 0, BigDecimal.ONE)).isEqualTo(1);
    assertThat(Charge.of(cheap, 1_500_000, 0, 0, BigDecimal.ONE)).isEqualTo(2);
    // 0.8 × (1,000,000 × 1 + 1,000,000 × 3) / 1e6 = 3.2 → 3, not 0.8 + 2.4 rounded apart (1 + 2)
    assertThat(Charge.of(cheap, 1_000_000, 0, 1_000_000, new BigDecimal("0.8"))).isEqualTo(3);
    assertThat(Charge.of(SONNET, 1_000_000, 0, 1_000_000, new BigDecimal("0.5"))).isEqualTo(900_000_000L);
    assertThat(Charge.of(SONNET, 1_000_000, 0, 0, BigDecimal.ZERO)).isZero();
  }

  @Test
  void hugeCountsAtHugePricesStayExact() {
    ModelPrice dear = ModelPrice.tokens("dear", 999_999_999_999L, 777_777_777_777L);
    long prompt = Integer.MAX_VALUE;
    long completion = Integer.MAX_VALUE - 7;
    BigInteger expected = BigInteger.valueOf(prompt).multiply(BigInteger.valueOf(999_999_999_999L))
        .add(BigInteger.valueOf(completion).multiply(BigInteger.valueOf(777_777_777_777L)))
        .multiply(BigInteger.valueOf(3))
        .add(BigInteger.valueOf(1_000_000)) // half of the divisor 2,000,000: rounds half up
        .divide(BigInteger.valueOf(2_000_000));
    assertThat(Charge.of(dear, prompt, 0, completion, new BigDecimal("1.5"))).isEqualTo(expected.longValueExact());
  }

  @Test
  void aCostBeyondWhatALongHoldsSaturates() {
    ModelPrice absurd = ModelPrice.tokens("absurd", Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(Charge.of(absurd, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, BigDecimal.TEN)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void unitsAreCountedAtTheirPrice() {
    assertThat(Charge.ofUnits(4_000_000L, BigDecimal.valueOf(3), BigDecimal.ONE)).isEqualTo(12_000_000L);
    // 12.5 s at 10,000 µ¢ per second, ratio 0.9
    assertThat(Charge.ofUnits(10_000L, new BigDecimal("12.5"), new BigDecimal("0.9"))).isEqualTo(112_500L);
  }
}

package dev.tollgate.limit;

/**
 * The generic cell rate algorithm, as pure arithmetic on one number per key (the theoretical
 * arrival time, TAT). A limit of {@code count} per {@code periodNanos} spaces requests by an
 * emission interval {@code T = period / count} and tolerates a burst of the whole {@code count};
 * unlike a fixed window it never lets twice the limit through around a window's edge.
 *
 * <p>Weights generalise it to tokens per minute: a request of {@code n} tokens advances the TAT by
 * {@code n · T}.
 */
final class Gcra {

  private Gcra() {}

  /**
   * @param emissionNanos the spacing of one unit ({@code period / count})
   * @param toleranceNanos how far ahead of now the TAT may run ({@code period − emission}: a burst of the full count)
   */
  record Rate(long emissionNanos, long toleranceNanos, long count, long periodNanos) {

    static Rate of(long count, long periodNanos) {
      if (count <= 0) {
        throw new IllegalArgumentException("a rate limit counts at least 1");
      }
      long emission = Math.max(1, periodNanos / count);
      return new Rate(emission, periodNanos - emission, count, periodNanos);
    }
  }

  /**
   * The verdict on a request of {@code weight} units at {@code now}, given the stored TAT.
   *
   * @param newTat the TAT to store when allowed (the stored one stays when refused)
   * @param retryAfterNanos when refused: how long until a request of this weight would conform
   * @param remaining units still allowed right now after this one (when allowed) or now (refused)
   * @param resetNanos how long until the limit is whole again (no units in use)
   */
  record Verdict(boolean allowed, long newTat, long retryAfterNanos, long remaining, long resetNanos) {

    /** Refused for good: the request alone is larger than the whole limit; waiting will not help. */
    boolean neverFits() {
      return !allowed && retryAfterNanos < 0;
    }
  }

  static Verdict check(Rate rate, long storedTat, long now, long weight) {
    long tat = Math.max(storedTat, now);
    if (weight > rate.count()) {
      return new Verdict(false, storedTat, -1, remaining(rate, tat, now), tat - now);
    }
    long cost = saturatedMultiply(weight, rate.emissionNanos());
    long newTat = saturatedAdd(tat, cost);
    long allowAt = newTat - rate.toleranceNanos() - rate.emissionNanos();
    if (allowAt > now) {
      long remaining = remaining(rate, tat, now);
      return new Verdict(false, storedTat, allowAt - now, remaining, tat - now);
    }
    return new Verdict(true, newTat, 0, remaining(rate, newTat, now), newTat - now);
  }

  /** Units a burst could still take at {@code now} with the TAT at {@code tat}. */
  private static long remaining(Rate rate, long tat, long now) {
    long headroom = rate.toleranceNanos() + rate.emissionNanos() - (tat - now);
    return Math.max(0, Math.min(rate.count(), headroom / rate.emissionNanos()));
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}

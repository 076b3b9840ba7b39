package dev.tollgate.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A stats period ending now, in whole UTC buckets: the last 24 hours by hour (the current hour
 * included), or the last 7 or 30 days by day (today included).
 */
public enum Period {
  DAY("24h", ChronoUnit.HOURS, 24),
  WEEK("7d", ChronoUnit.DAYS, 7),
  MONTH("30d", ChronoUnit.DAYS, 30);

  private final String wireName;
  private final ChronoUnit unit;
  private final int buckets;

  Period(String wireName, ChronoUnit unit, int buckets) {
    this.wireName = wireName;
    this.unit = unit;
    this.buckets = buckets;
  }

  public String wireName() {
    return wireName;
  }

  public boolean hourly() {
    return unit == ChronoUnit.HOURS;
  }

  public Instant start(Instant now) {
    return bucketOf(now).minus(buckets - 1L, unit);
  }

  /** The end of the current bucket (exclusive). */
  public Instant end(Instant now) {
    return next(bucketOf(now));
  }

  Instant bucketOf(Instant at) {
    return at.truncatedTo(unit);
  }

  Instant next(Instant bucket) {
    return bucket.plus(Duration.of(1, unit));
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static Period parse(String value) {
    if (value == null || value.isBlank()) {
      return DAY;
    }
    for (Period period : values()) {
      if (period.wireName.equalsIgnoreCase(value.strip())) {
        return period;
      }
    }
    throw new IllegalArgumentException("'period' must be 24h, 7d or 30d");
  }
}

package dev.tollgate.usage;

/**
 * The latency histogram of the stats rollups: bucket {@code i} counts requests whose total time was
 * below {@code BOUNDS[i]} ms (and at least the bound before); the last bucket is open-ended. The
 * bounds are also in V8__usage_logs.sql (its backfill), which must agree.
 */
public final class LatencyBuckets {

  static final int[] BOUNDS = {
    10, 20, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000,
    120000, 300000
  };
  public static final int COUNT = BOUNDS.length + 1;

  private LatencyBuckets() {}

  public static int of(int totalMs) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (totalMs < BOUNDS[i]) {
        return i;
      }
    }
    return BOUNDS.length;
  }

  /** The bucket's lowest latency (inclusive). */
  public static int lower(int bucket) {
    return bucket == 0 ? 0 : BOUNDS[bucket - 1];
  }

  /** The bucket's highest latency (exclusive); the open last bucket reports its lower bound. */
  public static int upper(int bucket) {
    return bucket < BOUNDS.length ? BOUNDS[bucket] : BOUNDS[BOUNDS.length - 1];
  }

  /**
   * The {@code q}-quantile (0 < q ≤ 1) of a histogram, interpolated inside its bucket; -1 when the
   * histogram is empty. Exact to the bucket: the true value lies in the same bucket.
   */
  public static int quantile(long[] counts, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total); // the rank-th smallest, 1-based (nearest-rank)
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && seen + counts[i] >= rank) {
        double within = (double) (rank - seen) / counts[i];
        int value = (int) Math.round(lower(i) + within * (upper(i) - lower(i)));
        return i < BOUNDS.length ? Math.min(value, upper(i) - 1) : value; // the upper bound is the next bucket's

      }
      seen += counts[i];
    }
    return upper(counts.length - 1);
  }
}

package dev.tollgate.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * Slows down password guessing, per username and per client address, in memory: the first
 * {@value #FREE_FAILURES_PER_USER} failures on a username (or {@value #FREE_FAILURES_PER_ADDRESS}
 * from one address, which may be a whole office behind NAT) cost nothing; after that each attempt
 * must wait 2, 4, 8, … seconds (at most {@value #MAX_WAIT_SECONDS}) after the last failure. A success clears the
 * username's count (not the address's: one address guessing many accounts stays slowed down).
 * Counts are forgotten after {@value #FORGET_MINUTES} minutes without failures.
 */
public final class LoginThrottle {

  static final int FREE_FAILURES_PER_USER = 5;
  static final int FREE_FAILURES_PER_ADDRESS = 20;
  static final long MAX_WAIT_SECONDS = 300;
  static final long FORGET_MINUTES = 15;

  private final Cache<String, Failures> failures = Caffeine.newBuilder()
      .maximumSize(100_000)
      .expireAfterWrite(Duration.ofMinutes(FORGET_MINUTES))
      .build();
  private final Clock clock;

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Seconds the caller must still wait before trying again; 0 = may try now. */
  public long waitSeconds(String username, String address) {
    return Math.max(wait("user:" + username, FREE_FAILURES_PER_USER), wait("ip:" + address, FREE_FAILURES_PER_ADDRESS));
  }

  public void failed(String username, String address) {
    long now = clock.millis();
    for (String key : new String[] {"user:" + username, "ip:" + address}) {
      failures.asMap().compute(key, (k, old) -> new Failures(old == null ? 1 : old.count() + 1, now));
    }
  }

  public void succeeded(String username) {
    failures.invalidate("user:" + username);
  }

  private long wait(String key, int free) {
    Failures seen = failures.getIfPresent(key);
    if (seen == null || seen.count() < free) {
      return 0;
    }
    long waitMs = Math.min(MAX_WAIT_SECONDS, 1L << Math.min(20, seen.count() - free + 1)) * 1000;
    long left = seen.lastMillis() + waitMs - clock.millis();
    return left <= 0 ? 0 : (left + 999) / 1000;
  }

  private record Failures(int count, long lastMillis) {}
}

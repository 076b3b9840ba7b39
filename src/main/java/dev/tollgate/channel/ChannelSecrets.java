package dev.tollgate.channel;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's provider keys, handed out round-robin, one per request: several keys of one account
 * spread a vendor's per-key rate limits. The turn is a lock-free counter, which the repository
 * shares between every loaded copy of one channel, so reloads do not restart it. Never printed:
 * {@link #toString} shows the count, {@link #masked} a recognisable tail.
 */
public final class ChannelSecrets {

  private final List<String> all;
  private final AtomicInteger turn;

  public ChannelSecrets(List<String> secrets) {
    this(secrets, new AtomicInteger());
  }

  /** @param turn the channel's turn counter, shared by its copies */
  public ChannelSecrets(List<String> secrets, AtomicInteger turn) {
    if (secrets == null || secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("a channel needs at least one provider key, none of them blank");
    }
    this.all = List.copyOf(secrets);
    this.turn = turn;
  }

  /** The key for the next request. */
  public String next() {
    return all.size() == 1 ? all.get(0) : all.get(Math.floorMod(turn.getAndIncrement(), all.size()));
  }

  public List<String> all() {
    return all;
  }

  public int count() {
    return all.size();
  }

  /** Each key as {@link #mask} shows it. */
  public List<String> masked() {
    return all.stream().map(ChannelSecrets::mask).toList();
  }

  /**
   * A key shown without revealing it: a short vendor prefix ({@code sk-}) and the last four
   * characters, e.g. {@code sk-…abcd}; keys too short to spare four characters show none.
   */
  public static String mask(String secret) {
    int dash = secret.indexOf('-');
    String prefix = dash > 0 && dash < 4 ? secret.substring(0, dash + 1) : "";
    String tail = secret.length() >= 12 ? secret.substring(secret.length() - 4) : "";
    return prefix + "…" + tail;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChannelSecrets that && all.equals(that.all);
  }

  @Override
  public int hashCode() {
    return all.hashCode();
  }

  @Override
  public String toString() {
    return "ChannelSecrets[" + all.size() + " keys]";
  }
}

package dev.tollgate.billing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The spendable balances of accounts and their keys, in memory, where every reservation and charge
 * is decided (the database learns of charges through the usage records, written in batches with
 * the balances they move: {@link dev.tollgate.usage.UsageRepository}).
 *
 * <p>Each account is one lock: its own balance and its keys' are checked and moved together, so a
 * request never passes the key's check and then the account's with another request in between.
 * Requests of different accounts never wait on each other.
 *
 * <p>Invariant, for every account and key: {@code quota − used − reserved ≥ 0} whenever it held at
 * the last reservation; a charge never takes more than what is left ({@link Settled#shortfall}
 * says what the usage was worth beyond that).
 */
public final class QuotaLedger {

  private final Map<Long, Account> accounts = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  public QuotaLedger(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * What the store last said of an account and one of its keys. The first snapshot of an account
   * seeds what it has spent; later ones only bring its quota and the key's limit up to date (what
   * is spent is known better here than in the store, which is behind by the writer's queue).
   *
   * @param keyLimit null when the key has no limit of its own
   */
  public record Snapshot(long userId, long userQuota, long userUsed, long keyId, Long keyLimit, long keyUsed) {}

  /** The answer to a reservation. */
  public sealed interface Admission permits Reserved, Refused {}

  /** Held until {@link #settle}d; settling it twice is a no-op. */
  public static final class Reserved implements Admission {
    private final Account account;
    private final KeyBalance key;
    private final long amount;
    private final long remaining;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Reserved(Account account, KeyBalance key, long amount, long remaining) {
      this.account = account;
      this.key = key;
      this.amount = amount;
      this.remaining = remaining;
    }

    public long amount() {
      return amount;
    }

    /** What the key may still spend (its limit, else the account's) with this reservation set aside. */
    public long remaining() {
      return remaining;
    }
  }

  /**
   * Not enough left.
   *
   * @param keyLimited true when the key's own limit refused it, false for the account's balance
   * @param remaining what is left, in micro-cents, in-flight reservations deducted (never negative)
   */
  public record Refused(boolean keyLimited, long remaining) implements Admission {}

  /**
   * @param charged what was taken from the account and the key
   * @param shortfall what the usage was worth beyond what was left to take
   * @param remaining what the key may still spend (its limit, else the account's), reservations deducted
   */
  public record Settled(long charged, long shortfall, long remaining) {}

  /** Reserves {@code amount} micro-cents against the account and the key, or says why not. */
  public Admission reserve(Snapshot snapshot, long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("a reservation is zero or more micro-cents");
    }
    while (true) {
      Account account = accounts.computeIfAbsent(snapshot.userId(), id -> new Account(snapshot.userUsed()));
      synchronized (account) {
        if (!account.evicted) {
          return reserve(account, snapshot, amount);
        }
      }
      // evicted between the lookup and the lock: look it up again
    }
  }

  /** Holding the account's lock. */
  private Admission reserve(Account account, Snapshot snapshot, long amount) {
    account.touched = nanoTime.getAsLong();
    account.quota = snapshot.userQuota();
    KeyBalance key = account.keys.computeIfAbsent(snapshot.keyId(), id -> new KeyBalance(snapshot.keyUsed()));
    key.limit = snapshot.keyLimit();
    long accountLeft = account.left();
    if (accountLeft < amount) {
      return new Refused(false, Math.max(0, accountLeft));
    }
    long keyLeft = key.left();
    if (keyLeft < amount) {
      return new Refused(true, Math.max(0, keyLeft));
    }
    account.reserved += amount;
    key.reserved += amount;
    return new Reserved(account, key, amount, Math.min(account.left(), key.left()));
  }

  /**
   * Releases the reservation and charges {@code cost}, or as much of it as the account and the key
   * have left. A reservation settled before is not settled again (answers {@code 0} charged).
   */
  public Settled settle(Reserved reservation, long cost) {
    if (!reservation.open.compareAndSet(true, false)) {
      return new Settled(0, 0, 0);
    }
    Account account = reservation.account;
    KeyBalance key = reservation.key;
    synchronized (account) { // an account with a reservation open is never evicted
      account.touched = nanoTime.getAsLong();
      account.reserved -= reservation.amount;
      key.reserved -= reservation.amount;
      long takeable = Math.max(0, Math.min(account.left(), key.left()));
      long charged = Math.min(Math.max(0, cost), takeable);
      account.used += charged;
      key.used += charged;
      return new Settled(charged, Math.max(0, cost) - charged, Math.max(0, Math.min(account.left(), key.left())));
    }
  }

  /** Gives the reservation back untouched: nothing was owed. */
  public void release(Reserved reservation) {
    settle(reservation, 0);
  }

  /**
   * Forgets accounts untouched for {@code idleNanos} with nothing reserved, so memory follows the
   * active accounts. Call it only when every charge made so far is in the store (the next
   * snapshot seeds the account again from there).
   */
  public int evictIdle(long idleNanos) {
    long now = nanoTime.getAsLong();
    int[] evicted = {0};
    accounts.entrySet().removeIf(entry -> {
      Account account = entry.getValue();
      synchronized (account) {
        boolean idle = account.reserved == 0 && now - account.touched >= idleNanos;
        if (idle) {
          account.evicted = true;
          evicted[0]++;
        }
        return idle;
      }
    });
    return evicted[0];
  }

  /** What the account has spent as this ledger knows it, or null when it holds no entry for it. */
  public Long spentByAccount(long userId) {
    Account account = accounts.get(userId);
    if (account == null) {
      return null;
    }
    synchronized (account) {
      return account.used;
    }
  }

  /** Micro-cents reserved by requests in flight, over every account. */
  public long reservedInFlight() {
    long total = 0;
    for (Account account : accounts.values()) {
      synchronized (account) {
        total += account.reserved;
      }
    }
    return total;
  }

  private static final class Account {
    long quota;
    long used;
    long reserved;
    long touched;
    boolean evicted;
    final Map<Long, KeyBalance> keys = new HashMap<>(4);

    Account(long used) {
      this.used = used;
    }

    long left() {
      return quota - used - reserved;
    }
  }

  private static final class KeyBalance {
    Long limit;
    long used;
    long reserved;

    KeyBalance(long used) {
      this.used = used;
    }

    long left() {
      return limit == null ? Long.MAX_VALUE : limit - used - reserved;
    }
  }
}

package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.QuotaLedger.Admission;
import dev.tollgate.billing.QuotaLedger.Refused;
import dev.tollgate.billing.QuotaLedger.Reserved;
import dev.tollgate.billing.QuotaLedger.Settled;
import dev.tollgate.billing.QuotaLedger.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QuotaLedgerTest {

  private final AtomicLong now = new AtomicLong();
  private final QuotaLedger ledger = new QuotaLedger(now::get);

  private static Snapshot account(long quota, long used) {
    return new Snapshot(1, quota, used, 10, null, 0);
  }

  @Test
  void aReservationHoldsItsAmountUntilSettledThenOnlyTheCostIsSpent() {
    Reserved first = (Reserved) ledger.reserve(account(100, 0), 60);
    assertThat(ledger.reserve(account(100, 0), 41)).isEqualTo(new Refused(false, 40));

    Settled settled = ledger.settle(first, 25);
    assertThat(settled).isEqualTo(new Settled(25, 0, 75));
    assertThat(ledger.spentByAccount(1)).isEqualTo(25);
    assertThat(ledger.reserve(account(100, 0), 75)).isInstanceOf(Reserved.class);
  }

  @Test
  void theFirstSnapshotSeedsWhatWasSpentAndLaterOnesOnlyTheQuota() {
    ledger.settle((Reserved) ledger.reserve(account(100, 30), 0), 10);
    assertThat(ledger.spentByAccount(1)).isEqualTo(40);

    // The store says 30 spent (it is behind); a top-up raised the quota to 200.
    assertThat(ledger.reserve(account(200, 30), 161)).isEqualTo(new Refused(false, 160));
    assertThat(ledger.reserve(account(200, 30), 160)).isInstanceOf(Reserved.class);
  }

  @Test
  void aKeyWithALimitIsHeldToItAndToItsAccount() {
    Snapshot limited = new Snapshot(1, 1_000, 0, 10, 50L, 20L);
    assertThat(ledger.reserve(limited, 31)).isEqualTo(new Refused(true, 30));
    Reserved held = (Reserved) ledger.reserve(limited, 30);
    assertThat(ledger.settle(held, 30).remaining()).isZero();

    Snapshot sibling = new Snapshot(1, 1_000, 0, 11, null, 0);
    assertThat(ledger.reserve(sibling, 970)).as("the account spent 30 through the other key").isInstanceOf(Reserved.class);
  }

  @Test
  void aChargeNeverTakesMoreThanIsLeftAndSaysTheShortfall() {
    Reserved held = (Reserved) ledger.reserve(account(100, 90), 5);
    Settled settled = ledger.settle(held, 25);

    assertThat(settled).isEqualTo(new Settled(10, 15, 0));
    assertThat(ledger.spentByAccount(1)).isEqualTo(100);
    assertThat(ledger.reserve(account(100, 90), 1)).isEqualTo(new Refused(false, 0));
    assertThat(ledger.reserve(account(100, 90), 0)).as("free requests still pass").isInstanceOf(Reserved.class);
  }

  @Test
  void settlingTwiceChargesOnce() {
    Reserved held = (Reserved) ledger.reserve(account(100, 0), 10);
    ledger.settle(held, 10);
    assertThat(ledger.settle(held, 10).charged()).isZero();
    ledger.release(held);
    assertThat(ledger.spentByAccount(1)).isEqualTo(10);
    assertThat(ledger.reservedInFlight()).isZero();
  }

  @Test
  void idleAccountsWithNothingReservedAreForgottenAndSeededAgain() {
    Reserved open = (Reserved) ledger.reserve(new Snapshot(2, 100, 0, 20, null, 0), 10);
    ledger.settle((Reserved) ledger.reserve(account(100, 0), 0), 5);
    now.addAndGet(1_000);

    assertThat(ledger.evictIdle(1_000)).isEqualTo(1);
    assertThat(ledger.spentByAccount(1)).isNull();
    assertThat(ledger.spentByAccount(2)).as("a reservation in flight keeps its account").isZero();
    ledger.settle(open, 10);
    ledger.reserve(account(100, 5), 0);
    assertThat(ledger.spentByAccount(1)).isEqualTo(5);
  }

  @Test
  void twoHundredConcurrentRequestsAgainstQuotaForFiftyNeverOverspend() throws Exception {
    long price = 1_000;
    Snapshot key = new Snapshot(7, 1_000_000, 0, 70, 50 * price, 0);
    int requests = 200;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> results = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      results.add(pool.submit(() -> {
        start.await();
        Admission admission = ledger.reserve(key, price);
        if (admission instanceof Reserved held) {
          Thread.yield();
          return ledger.settle(held, price).charged();
        }
        return -1L;
      }));
    }
    start.countDown();
    long charged = 0;
    int served = 0;
    for (Future<Long> result : results) {
      long value = result.get();
      if (value >= 0) {
        served++;
        charged += value;
      }
    }
    pool.shutdown();

    assertThat(served).isEqualTo(50);
    assertThat(charged).isEqualTo(50 * price);
    assertThat(ledger.spentByAccount(7)).isEqualTo(50 * price);
    assertThat(ledger.reservedInFlight()).isZero();
  }
}

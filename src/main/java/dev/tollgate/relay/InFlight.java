package dev.tollgate.relay;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests being served and refuses new ones once draining starts, so that a graceful
 * shutdown can wait for in-flight work (streams included) to end.
 */
public final class InFlight {

  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean draining;

  /** Returns false when draining: the request must be refused. */
  boolean enter() {
    if (draining) {
      return false;
    }
    count.incrementAndGet();
    return true;
  }

  void exit() {
    count.decrementAndGet();
  }

  public void startDraining() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  public int count() {
    return count.get();
  }

  /** Waits until nothing is in flight or the deadline passes; returns what is still in flight. */
  public int awaitIdle(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (count.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return count.get();
  }
}

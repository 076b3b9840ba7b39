package dev.tollgate.relay;

/** Where a channel's circuit breaker stands (see {@link CircuitBreaker}). */
public enum CircuitState {
  /** Calls go through. */
  CLOSED,
  /** Too many failures: the channel is skipped until the cool-down ends. */
  OPEN,
  /** Cooled down: one probe call goes through and decides. */
  HALF_OPEN
}

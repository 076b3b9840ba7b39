package dev.tollgate.relay;

import dev.tollgate.account.Caller;
import dev.tollgate.channel.Channel;
import dev.tollgate.limit.Permit;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.usage.Attribution;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Per-request state that travels through the pipeline: who asked, for what, served by whom, and
 * the timings metering needs. Confined to the request's event loop, so plain fields suffice.
 */
public final class RelayContext {

  final String requestId;
  final Instant receivedAt;
  final long startNanos;
  Caller key;  // the caller: key, owner and group
  ClientRequest request;
  Channel channel;
  /** The upstream calls made so far and the ones still allowed; null until the request is routed. */
  Attempts attempts;
  String upstreamModel;
  long firstByteNanos;
  boolean metered;
  /** The error that ended a converted stream, if one did. */
  ErrorCode streamError;
  /** Served with the caller's own provider keys (BYOK). */
  boolean ownKeys;
  /** The request's hold on its key's rate limits (null: none, or not admitted, or released). */
  Permit ratePermit;
  /** The prompt's estimated tokens, for rate limits and the reservation; -1 until estimated. */
  int promptTokens = -1;
  /** The tokens its admission counted against the key's tokens per minute. */
  long rateTokens;
  /** How the request is charged; null until admitted. */
  Charging charging;
  /** The protocol the client speaks (the endpoint family it called). */
  final WireProtocol protocol;
  /** The caller's workflow, step, execution, source and project headers. */
  Attribution attribution = Attribution.NONE;
  /** What a request billed by units used (images made, seconds heard); null until known. */
  BigDecimal billedUnits;
  /** The units are the gateway's estimate, not a count. */
  boolean unitsEstimated;
  /** What to do if the client disconnects now: cancel the upstream call in progress. */
  Runnable clientGone;

  RelayContext(String requestId, Instant receivedAt, long startNanos, WireProtocol protocol) {
    this.requestId = requestId;
    this.protocol = protocol;
    this.receivedAt = receivedAt;
    this.startNanos = startNanos;
  }

  long keyId() {
    return key.keyId();
  }

  public String requestId() {
    return requestId;
  }

  void markFirstByte() {
    if (firstByteNanos == 0) {
      firstByteNanos = System.nanoTime();
    }
  }

  Integer firstByteMillis() {
    return firstByteNanos == 0 ? null : (int) ((firstByteNanos - startNanos) / 1_000_000);
  }

  int elapsedMillis() {
    return (int) ((System.nanoTime() - startNanos) / 1_000_000);
  }
}

package dev.tollgate.relay;

import dev.tollgate.limit.Admission;
import dev.tollgate.limit.Limits;
import dev.tollgate.limit.PlanBook;
import dev.tollgate.limit.RateLimiter;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rate-limit stage: the key's plan (or its owner's) sets QPS, RPM, TPM and concurrency limits.
 * TPM counts the request's estimated tokens (its prompt and the output it may produce) at
 * admission, so a burst of large prompts stops here rather than at the upstream, and is corrected
 * by the actual usage when the request is metered. Every answer of a limited key carries
 * OpenAI's {@code x-ratelimit-*} headers; a refusal is 429 with {@code Retry-After}.
 */
public final class RateGate {

  private static final Future<GatewayError> ADMITTED = Future.succeededFuture();
  // Names made once, as bytes with their hash: every answer of a limited key carries all six.
  private static final CharSequence LIMIT_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-limit-requests");
  private static final CharSequence REMAINING_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-remaining-requests");
  private static final CharSequence RESET_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-reset-requests");
  private static final CharSequence LIMIT_TOKENS = HttpHeaders.createOptimized("x-ratelimit-limit-tokens");
  private static final CharSequence REMAINING_TOKENS = HttpHeaders.createOptimized("x-ratelimit-remaining-tokens");
  private static final CharSequence RESET_TOKENS = HttpHeaders.createOptimized("x-ratelimit-reset-tokens");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");

  private final RateLimiter limiter;
  private final PlanBook plans;
  private final int reserveOutputTokens;
  private final Map<String, Counter> rejections;

  public RateGate(RateLimiter limiter, PlanBook plans, int reserveOutputTokens, MeterRegistry metrics) {
    this.limiter = limiter;
    this.plans = plans;
    this.reserveOutputTokens = reserveOutputTokens;
    this.rejections = Stream.of("qps", "rpm", "tpm", "concurrency", Admission.UNAVAILABLE)
        .collect(Collectors.toUnmodifiableMap(Function.identity(), limit -> Counter.builder("tollgate.ratelimit.rejections")
            .description("requests refused by a plan's rate limit, by the limit that refused them")
            .tag("limit", limit)
            .register(metrics)));
  }

  /**
   * Admits the request (null) or names the error that refuses it; sets the rate-limit headers
   * either way. Answers at once without Redis; with it, when Redis does.
   */
  Future<GatewayError> admit(HttpServerResponse response, RelayContext cx) {
    Limits limits = plans.limitsFor(cx.key.key().planId(), cx.key.owner().planId());
    if (limits.isNone()) {
      return ADMITTED;
    }
    Integer asked = cx.request.maxOutputTokens();
    long tokens = QuotaGate.promptTokens(cx) + (asked == null ? reserveOutputTokens : Math.min(asked, reserveOutputTokens));
    return limiter.admit(cx.keyId(), cx.requestId, limits, tokens).map(admission -> verdict(response, cx, limits, tokens, admission));
  }

  private GatewayError verdict(HttpServerResponse response, RelayContext cx, Limits limits, long tokens, Admission admission) {
    headers(response, admission);
    if (admission.allowed()) {
      cx.ratePermit = admission.permit();
      cx.rateTokens = tokens;
      return null;
    }
    rejections.get(admission.refusedBy()).increment();
    if (admission.neverFits()) {
      return GatewayError.of(ErrorCode.RATE_LIMITED, "this request may use about " + tokens
          + " tokens, more than the key's whole limit of " + limits.tpm() + " tokens per minute; send less or raise the plan");
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(admission.retryAfterNanos() + 999_999_999L));
    response.putHeader(RETRY_AFTER, Long.toString(seconds));
    if (admission.refusedBy().equals(Admission.UNAVAILABLE)) {
      return GatewayError.of(ErrorCode.STORAGE_UNAVAILABLE,
          "the rate limits cannot be checked right now (their store does not answer); retry in " + seconds + " s");
    }
    return GatewayError.of(ErrorCode.RATE_LIMITED, switch (admission.refusedBy()) {
      case "qps" -> "rate limit reached: " + limits.qps() + " requests per second";
      case "rpm" -> "rate limit reached: " + limits.rpm() + " requests per minute";
      case "tpm" -> "rate limit reached: " + limits.tpm() + " tokens per minute (this request may use about " + tokens + ")";
      default -> "rate limit reached: " + limits.maxConcurrent() + " requests at once";
    } + "; retry in " + seconds + " s");
  }

  /** The request ended: its concurrency slot is freed and its tokens corrected by what it used. */
  void finish(RelayContext cx, long actualTokens) {
    if (cx.ratePermit != null) {
      cx.ratePermit.release(actualTokens);
      cx.ratePermit = null;
    }
  }

  private static void headers(HttpServerResponse response, Admission admission) {
    if (admission.requestLimit() > 0) {
      response.putHeader(LIMIT_REQUESTS, Long.toString(admission.requestLimit()));
      response.putHeader(REMAINING_REQUESTS, Long.toString(admission.requestsRemaining()));
      response.putHeader(RESET_REQUESTS, duration(admission.requestsResetNanos()));
    }
    if (admission.tokenLimit() > 0) {
      response.putHeader(LIMIT_TOKENS, Long.toString(admission.tokenLimit()));
      response.putHeader(REMAINING_TOKENS, Long.toString(admission.tokensRemaining()));
      response.putHeader(RESET_TOKENS, duration(admission.tokensResetNanos()));
    }
  }

  /** As OpenAI writes them: {@code 20ms}, {@code 3s}, {@code 6m0s}. */
  static String duration(long nanos) {
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    if (millis < 1_000) {
      return millis + "ms";
    }
    long seconds = (millis + 999) / 1_000;
    return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
  }
}

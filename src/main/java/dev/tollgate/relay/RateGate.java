package dev.tollgate.relay;

import dev.tollgate.limit.Admission;
import dev.tollgate.limit.Limits;
import dev.tollgate.limit.PlanBook;
import dev.tollgate.limit.RateLimiter;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limit stage: the key's plan (or its owner's) sets QPS, RPM, TPM and concurrency limits.
 * TPM counts the request's estimated tokens (its prompt and the output it may produce) at
 * admission, so a burst of large prompts stops here rather than at the upstream, and is corrected
 * by the actual usage when the request is metered. Every answer of a limited key carries
 * OpenAI's {@code x-ratelimit-*} headers; a refusal is 429 with {@code Retry-After}.
 */
public final class RateGate {

  private final RateLimiter limiter;
  private final PlanBook plans;
  private final int reserveOutputTokens;

  public RateGate(RateLimiter limiter, PlanBook plans, int reserveOutputTokens) {
    this.limiter = limiter;
    this.plans = plans;
    this.reserveOutputTokens = reserveOutputTokens;
  }

  /** Admits the request (null) or answers the error that refuses it; sets the rate-limit headers either way. */
  GatewayError admit(HttpServerResponse response, RelayContext cx) {
    Limits limits = plans.limitsFor(cx.key.key().planId(), cx.key.owner().planId());
    if (limits.isNone()) {
      return null;
    }
    Integer asked = cx.request.maxOutputTokens();
    long tokens = QuotaGate.promptTokens(cx.request) + (asked == null ? reserveOutputTokens : Math.min(asked, reserveOutputTokens));
    Admission admission = limiter.admit(cx.keyId(), limits, tokens);
    headers(response, admission);
    if (admission.allowed()) {
      cx.rateLimits = limits;
      cx.rateTokens = tokens;
      return null;
    }
    if (admission.neverFits()) {
      return GatewayError.of(ErrorCode.RATE_LIMITED, "this request may use about " + tokens
          + " tokens, more than the key's whole limit of " + limits.tpm() + " tokens per minute; send less or raise the plan");
    }
    long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(admission.retryAfterNanos() + 999_999_999L));
    response.putHeader("Retry-After", Long.toString(seconds));
    return GatewayError.of(ErrorCode.RATE_LIMITED, switch (admission.refusedBy()) {
      case "qps" -> "rate limit reached: " + limits.qps() + " requests per second";
      case "rpm" -> "rate limit reached: " + limits.rpm() + " requests per minute";
      case "tpm" -> "rate limit reached: " + limits.tpm() + " tokens per minute (this request may use about " + tokens + ")";
      default -> "rate limit reached: " + limits.maxConcurrent() + " requests at once";
    } + "; retry in " + seconds + " s");
  }

  /** The request ended: its concurrency slot is freed and its tokens corrected by what it used. */
  void finish(RelayContext cx, long actualTokens) {
    if (cx.rateLimits != null) {
      limiter.finish(cx.keyId(), cx.rateLimits, cx.rateTokens, actualTokens);
      cx.rateLimits = null;
    }
  }

  private static void headers(HttpServerResponse response, Admission admission) {
    if (admission.requestLimit() > 0) {
      response.putHeader("x-ratelimit-limit-requests", Long.toString(admission.requestLimit()));
      response.putHeader("x-ratelimit-remaining-requests", Long.toString(admission.requestsRemaining()));
      response.putHeader("x-ratelimit-reset-requests", duration(admission.requestsResetNanos()));
    }
    if (admission.tokenLimit() > 0) {
      response.putHeader("x-ratelimit-limit-tokens", Long.toString(admission.tokenLimit()));
      response.putHeader("x-ratelimit-remaining-tokens", Long.toString(admission.tokensRemaining()));
      response.putHeader("x-ratelimit-reset-tokens", duration(admission.tokensResetNanos()));
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

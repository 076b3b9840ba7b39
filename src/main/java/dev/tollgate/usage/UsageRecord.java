package dev.tollgate.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One relayed request, as metered.
 *
 * @param tokensEstimated true when the upstream gave no usage and the counts are our estimate
 * @param firstByteMs milliseconds until the upstream's first byte, or null when none came
 * @param errorCode the product error code, or null on success
 * @param attempts every upstream call the request made, in order; the tokens are the last one's
 * @param userId the account the key belongs to
 * @param cachedTokens prompt tokens read from a cache (part of promptTokens)
 * @param cost micro-cents charged: exactly what was taken from the key and the account
 * @param chargeShortfall micro-cents the usage was worth beyond what the account had left (not taken)
 * @param prices the prices and ratio charged, or null for a model served free
 * @param ownKey served with the caller's own provider key (BYOK)
 * @param attribution the workflow, step, execution, source and project the caller named
 * @param units what an endpoint that does not sell tokens billed (images, audio seconds,
 *     characters), or null for a request billed by tokens
 */
public record UsageRecord(
    String requestId,
    Instant createdAt,
    long keyId,
    String modelRequested,
    String modelUsed,
    Long channelId,
    boolean stream,
    int promptTokens,
    int completionTokens,
    boolean tokensEstimated,
    Integer firstByteMs,
    int totalMs,
    int status,
    String errorCode,
    List<Attempt> attempts,
    long userId,
    int cachedTokens,
    long cost,
    long chargeShortfall,
    Prices prices,
    boolean ownKey,
    Attribution attribution,
    Units units) {

  public UsageRecord {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    attribution = attribution == null ? Attribution.NONE : attribution;
  }

  /** A request billed by tokens. */
  public UsageRecord(String requestId, Instant createdAt, long keyId, String modelRequested, String modelUsed,
      Long channelId, boolean stream, int promptTokens, int completionTokens, boolean tokensEstimated,
      Integer firstByteMs, int totalMs, int status, String errorCode, List<Attempt> attempts, long userId,
      int cachedTokens, long cost, long chargeShortfall, Prices prices, boolean ownKey, Attribution attribution) {
    this(requestId, createdAt, keyId, modelRequested, modelUsed, channelId, stream, promptTokens, completionTokens,
        tokensEstimated, firstByteMs, totalMs, status, errorCode, attempts, userId, cachedTokens, cost, chargeShortfall,
        prices, ownKey, attribution, null);
  }

  /**
   * What a request of a unit-priced endpoint was billed by.
   *
   * @param unit {@code image}, {@code second} or {@code character}
   * @param quantity how many, exactly (seconds have fractions)
   * @param estimated the gateway's estimate: the upstream said nothing, and neither did the file
   * @param unitPrice micro-cents per image, per second, or per million characters
   */
  public record Units(String unit, BigDecimal quantity, boolean estimated, long unitPrice) {}

  /**
   * The prices a request was charged at, in micro-cents per million tokens, and the ratio applied
   * (the caller's group's, times the BYOK fee ratio when the caller's own provider key served it).
   */
  public record Prices(long input, long output, Long cachedInput, String ratio) {}

  /**
   * One upstream call.
   *
   * @param status the upstream's HTTP status, or null when it gave none
   * @param error why the call failed without a status ({@code timeout}, {@code connect}, …), or null
   * @param ms from sending the request to the gateway's verdict on it
   */
  public record Attempt(long channelId, Integer status, String error, int ms) {}
}

package dev.tollgate.usage;

import java.time.Instant;

/**
 * One relayed request, as metered.
 *
 * @param tokensEstimated true when the upstream gave no usage and the counts are our estimate
 * @param firstByteMs milliseconds until the upstream's first byte, or null when none came
 * @param errorCode the product error code, or null on success
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
    String errorCode) {}

package dev.tollgate.protocol.openai;

import java.security.SecureRandom;

/**
 * Completion ids a client sees. OpenAI ids read {@code chatcmpl-…}; an upstream id of another form
 * (Anthropic {@code msg_…}, a Gemini responseId, a vendor UUID) is kept but prefixed, so logs on
 * both sides still match; a missing id gets a random one.
 */
final class OpenAiIds {

  private static final String PREFIX = "chatcmpl-";
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private OpenAiIds() {}

  static String completionId(String upstreamId) {
    if (upstreamId == null || upstreamId.isBlank()) {
      return PREFIX + random(24);
    }
    return upstreamId.startsWith(PREFIX) ? upstreamId : PREFIX + upstreamId;
  }

  /** A call id for a tool call whose upstream sent none. */
  static String callId() {
    return "call_" + random(24);
  }

  private static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}

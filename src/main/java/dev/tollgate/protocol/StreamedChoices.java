package dev.tollgate.protocol;

import dev.tollgate.protocol.canonical.ChatRequest;

/**
 * Canonical stream events carry no choice index, so a stream converted between protocols holds
 * one choice. A streamed request for several (OpenAI {@code n}, Gemini {@code candidateCount})
 * is refused before the upstream is called, rather than answered with all but the first choice
 * silently lost. Unstreamed answers keep every choice; same-protocol streams pass through whole.
 */
public final class StreamedChoices {

  private StreamedChoices() {}

  /** @throws GatewayError.Failure for a streamed request asking for more than one choice */
  public static void requireOne(ChatRequest request) {
    if (request.stream() && request.n() != null && request.n() > 1) {
      throw new GatewayError.Failure(GatewayError.invalid("n",
          "more than one choice (n / candidateCount > 1) cannot be streamed when the gateway converts between "
              + "protocols; ask for one choice, or for several without streaming"));
    }
  }
}

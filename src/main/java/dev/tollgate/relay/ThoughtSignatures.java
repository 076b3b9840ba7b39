package dev.tollgate.relay;

/**
 * Where Gemini thought signatures wait for the client's next turn when the client's protocol
 * (OpenAI, Anthropic) cannot carry them (protocols.md §5.6): remembered when a converted Gemini
 * answer passes, read when the client's next request is converted for Gemini. Gemini 3 rejects a
 * follow-up turn whose function calls lack the signature they were issued with.
 *
 * <p>Entries are scoped by API key, so one key never reads another's. Every event loop shares
 * one store, so implementations are thread-safe. {@link LocalThoughtSignatures} keeps them in
 * this process; a store shared by replicas (Redis) can implement the same two methods.
 */
public interface ThoughtSignatures {

  void remember(long keyId, String callId, String signature);

  /** The signature issued with the call, or null when it is unknown or has expired. */
  String find(long keyId, String callId);
}

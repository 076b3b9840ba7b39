package dev.tollgate.protocol;

/** The wire protocols Tollgate speaks, on the client side and to upstreams. */
public enum WireProtocol {
  OPENAI,
  ANTHROPIC,
  GEMINI
}

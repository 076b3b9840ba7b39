package dev.tollgate.protocol.canonical;

/** Why an answer ended (protocols.md §5.12). */
public enum FinishReason {
  STOP,
  STOP_SEQUENCE,
  LENGTH,
  TOOL_CALLS,
  CONTENT_FILTER,
  PAUSE,
  OTHER
}

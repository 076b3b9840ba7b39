package dev.tollgate.protocol.canonical;

/**
 * A request setting the canonical model carries but some protocols have no field for. An encoder
 * for such a protocol leaves it out and says so; each client protocol names it in its own words
 * (protocols.md §5.16, "drop + warn").
 */
public enum Setting {
  PRESENCE_PENALTY,
  FREQUENCY_PENALTY,
  SEED,
  TOP_K,
  /** {@code parallelToolCalls = false}: one tool call per turn at most. */
  NO_PARALLEL_TOOL_CALLS
}

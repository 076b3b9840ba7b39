package dev.tollgate.protocol.canonical;

/** Who speaks a turn. Tool results travel in {@link #TOOL} turns whatever the wire protocol does. */
public enum Role {
  USER,
  ASSISTANT,
  TOOL
}

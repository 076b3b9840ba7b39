package dev.tollgate.protocol.canonical;

import java.util.List;

/** How the model may use tools. */
public sealed interface ToolChoice {

  record Auto() implements ToolChoice {}

  record None() implements ToolChoice {}

  /** Must call some tool; {@code allowed} narrows the set (empty: any). */
  record Required(List<String> allowed) implements ToolChoice {
    public Required {
      allowed = List.copyOf(allowed);
    }
  }

  /** Must call this tool. */
  record Specific(String name) implements ToolChoice {}
}

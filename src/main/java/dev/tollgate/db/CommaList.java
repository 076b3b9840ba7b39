package dev.tollgate.db;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/** How repositories store a small set of names in one column: sorted, comma-separated, NULL when empty. */
public final class CommaList {

  private CommaList() {}

  public static String join(Collection<String> names) {
    return names == null || names.isEmpty() ? null : String.join(",", names.stream().sorted().toList());
  }

  public static Set<String> split(String stored) {
    if (stored == null || stored.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(stored.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }
}

package dev.tollgate.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of a client's request that a conversion loses and must report
 * (protocols.md §5.16: unknown fields, and known ones marked "drop + warn").
 */
public final class DroppedFields {

  private DroppedFields() {}

  /**
   * The fields of {@code root} not in {@code kept}, in request order; JSON nulls count as absent.
   *
   * @param kept the fields a decoder carries, refuses, or may drop without a word
   */
  public static List<String> notIn(JsonNode root, Set<String> kept) {
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!field.getValue().isNull() && !kept.contains(field.getKey())) {
        dropped.add(field.getKey());
      }
    }
    return dropped;
  }
}

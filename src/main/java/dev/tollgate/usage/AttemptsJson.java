package dev.tollgate.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts column: compact JSON, one object per upstream call, without the absent member —
 * {@code [{"channel":3,"error":"timeout","ms":1500},{"channel":4,"status":200,"ms":8}]}. A
 * column of its own table would cost a row per attempt for what is read one request at a time.
 */
final class AttemptsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AttemptsJson() {}

  /** Null for none (the request was refused before any upstream call). */
  static String write(List<UsageRecord.Attempt> attempts) {
    if (attempts.isEmpty()) {
      return null;
    }
    ArrayNode array = JSON.createArrayNode();
    for (UsageRecord.Attempt attempt : attempts) {
      ObjectNode node = array.addObject().put("channel", attempt.channelId());
      if (attempt.status() != null) {
        node.put("status", attempt.status());
      }
      if (attempt.error() != null) {
        node.put("error", attempt.error());
      }
      node.put("ms", attempt.ms());
    }
    return array.toString();
  }

  static List<UsageRecord.Attempt> read(String json) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    try {
      List<UsageRecord.Attempt> attempts = new ArrayList<>();
      for (JsonNode node : JSON.readTree(json)) {
        attempts.add(new UsageRecord.Attempt(
            node.path("channel").asLong(),
            node.hasNonNull("status") ? node.get("status").asInt() : null,
            node.hasNonNull("error") ? node.get("error").asText() : null,
            node.path("ms").asInt()));
      }
      return attempts;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored attempts are not valid JSON: " + json, e);
    }
  }
}

package dev.tollgate.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.TopLevelMerge;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parameters a channel forces on every request it serves, e.g. {@code {"max_tokens": 1024}}: a
 * JSON object merged shallowly (top-level members replaced or added) into the body sent upstream,
 * after any conversion, so the names are those of the channel's own protocol. Immutable; the
 * member values are serialised once, not per request.
 */
public final class ParamOverrides {

  public static final ParamOverrides NONE = new ParamOverrides(Map.of(), null);

  /** Members the relay itself decides: overriding them would break routing or stream handling. */
  private static final Set<String> REFUSED = Set.of("model", "stream");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> members;
  private final String json;

  private ParamOverrides(Map<String, byte[]> members, String json) {
    this.members = members;
    this.json = json;
  }

  /** From JSON text; null or blank means none. */
  public static ParamOverrides parse(String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    try {
      return of(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("parameter overrides must be a JSON object, e.g. {\"max_tokens\": 1024}");
    }
  }

  /** From a JSON tree; null, JSON null or an empty object mean none. */
  public static ParamOverrides of(JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return NONE;
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new IllegalArgumentException("parameter overrides must be a JSON object, e.g. {\"max_tokens\": 1024}");
    }
    if (object.isEmpty()) {
      return NONE;
    }
    Map<String, byte[]> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : object.properties()) {
      if (REFUSED.contains(member.getKey())) {
        throw new IllegalArgumentException("parameter overrides cannot set '" + member.getKey()
            + "' (the model comes from the model mapping, streaming from the caller)");
      }
      members.put(member.getKey(), member.getValue().toString().getBytes(StandardCharsets.UTF_8));
    }
    return new ParamOverrides(Collections.unmodifiableMap(members), object.toString());
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** The overrides as compact JSON text, or null when there are none (the stored form). */
  public String json() {
    return json;
  }

  /** A copy of the overrides as a JSON object (empty when none). */
  public ObjectNode tree() {
    try {
      return json == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("overrides were valid JSON when made", e);
    }
  }

  /** The upstream body with the overrides merged in; the same array when there are none. */
  public byte[] applyTo(byte[] body) {
    return TopLevelMerge.merge(body, members);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ParamOverrides that && java.util.Objects.equals(json, that.json);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(json);
  }

  @Override
  public String toString() {
    return json == null ? "{}" : json;
  }
}

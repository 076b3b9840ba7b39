package dev.tollgate.api.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.channel.ChannelTimeouts;
import dev.tollgate.channel.ParamOverrides;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.CircuitState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Channels in the admin API's JSON: the view (keys only masked) and the settings a create or an
 * update gives. Error messages name fields, never quote values: a misplaced key must not come back.
 *
 * <p>On update, a field left out keeps its value ({@code keys} included, which is how keys stay
 * unseen); {@code null} resets it to its default. Read-only fields of the view ({@code id},
 * {@code maskedKeys}, {@code createdAt}) are ignored, so a fetched channel can be sent back edited.
 */
final class ChannelJson {

  private static final Set<String> SETTINGS = Set.of(
      "name", "type", "baseUrl", "keys", "models", "modelMapping", "priority", "weight", "paramOverrides",
      "extraHeaders", "connectTimeoutMs", "firstByteTimeoutMs", "idleTimeoutMs", "groups", "status");
  private static final Set<String> READ_ONLY = Set.of("id", "maskedKeys", "createdAt", "statusReason", "circuit");

  private ChannelJson() {}

  /**
   * @param statusReason why the gateway disabled the channel, or null
   * @param circuit its circuit breaker on this node, or null when it has not been called yet
   */
  static ObjectNode view(Channel channel, String statusReason, ChannelHealth.Status circuit) {
    ObjectNode json = Replies.JSON.createObjectNode();
    json.put("id", channel.id());
    json.put("name", channel.name());
    json.put("type", channel.type());
    json.put("baseUrl", channel.baseUrl());
    json.put("status", channel.status().dbValue());
    json.put("statusReason", statusReason);
    ObjectNode breaker = json.putObject("circuit");
    breaker.put("state", (circuit == null ? CircuitState.CLOSED : circuit.state()).name().toLowerCase(Locale.ROOT));
    breaker.put("consecutiveFailures", circuit == null ? 0 : circuit.consecutiveFailures());
    breaker.put("openedAt", circuit == null || circuit.openedAt() == null ? null : circuit.openedAt().toString());
    strings(json.putArray("maskedKeys"), channel.secrets().masked());
    strings(json.putArray("models"), channel.sortedModels());
    json.set("modelMapping", Replies.JSON.valueToTree(new TreeMap<>(channel.modelMapping())));
    json.put("priority", channel.priority());
    json.put("weight", channel.weight());
    json.set("paramOverrides", channel.paramOverrides().tree());
    json.set("extraHeaders", Replies.JSON.valueToTree(new TreeMap<>(channel.extraHeaders())));
    ChannelTimeouts timeouts = channel.timeouts();
    json.put("connectTimeoutMs", timeouts.connectMs());
    json.put("firstByteTimeoutMs", timeouts.firstByteMs());
    json.put("idleTimeoutMs", timeouts.idleMs());
    strings(json.putArray("groups"), channel.groups().stream().sorted().toList());
    json.put("createdAt", channel.createdAt().toString());
    return json;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /** The settings of a new channel. */
  static ChannelSpec forCreate(JsonNode body) {
    ObjectNode fields = settings(body);
    if (!present(fields, "keys")) {
      throw Problem.invalid("'keys' is required: the provider keys of the channel (an array of strings)");
    }
    return spec(fields, null);
  }

  /** The settings of an existing channel with the update's fields applied. */
  static ChannelSpec forUpdate(Channel existing, JsonNode body) {
    return spec(settings(body), existing.toSpec());
  }

  /** The status the request sets, if it sets one: {@code enabled} or {@code disabled}. */
  static Optional<ChannelStatus> status(JsonNode body) {
    JsonNode status = body.get("status");
    if (status == null || status.isNull()) {
      return Optional.empty();
    }
    return switch (status.asText()) {
      case "enabled" -> Optional.of(ChannelStatus.ENABLED);
      case "disabled" -> Optional.of(ChannelStatus.DISABLED);
      default -> throw Problem.invalid("'status' must be \"enabled\" or \"disabled\"");
    };
  }

  private static ObjectNode settings(JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw Problem.invalid("the request body must be a JSON object");
    }
    for (String field : (Iterable<String>) object::fieldNames) {
      if (!SETTINGS.contains(field) && !READ_ONLY.contains(field)) {
        throw Problem.invalid("unknown field '" + field + "'; channels have " + new java.util.TreeSet<>(SETTINGS));
      }
    }
    return object;
  }

  /** @param base the current settings on update; null on create (defaults then) */
  private static ChannelSpec spec(ObjectNode fields, ChannelSpec base) {
    ChannelTimeouts baseTimeouts = base == null ? ChannelTimeouts.NONE : base.timeouts();
    return new ChannelSpec(
        field(fields, "name", node -> text("name", node), base == null ? null : base.name(), null),
        field(fields, "type", node -> text("type", node), base == null ? null : base.type(), null),
        field(fields, "baseUrl", node -> text("baseUrl", node), base == null ? null : base.baseUrl(), null),
        present(fields, "keys") ? strings("keys", fields.get("keys")) : base.secrets(),
        field(fields, "models", node -> strings("models", node), base == null ? null : base.models(), null),
        field(fields, "modelMapping", node -> stringMap("modelMapping", node), base == null ? null : base.modelMapping(), null),
        field(fields, "priority", node -> integer("priority", node), base == null ? 0 : base.priority(), 0),
        field(fields, "weight", node -> integer("weight", node), base == null ? 1 : base.weight(), 1),
        field(fields, "paramOverrides", ChannelJson::overrides, base == null ? null : base.paramOverrides(), null),
        field(fields, "extraHeaders", node -> stringMap("extraHeaders", node), base == null ? null : base.extraHeaders(), null),
        new ChannelTimeouts(
            field(fields, "connectTimeoutMs", node -> integer("connectTimeoutMs", node), baseTimeouts.connectMs(), null),
            field(fields, "firstByteTimeoutMs", node -> integer("firstByteTimeoutMs", node), baseTimeouts.firstByteMs(), null),
            field(fields, "idleTimeoutMs", node -> integer("idleTimeoutMs", node), baseTimeouts.idleMs(), null)),
        field(fields, "groups", node -> strings("groups", node), base == null ? null : base.groups(), null));
  }

  private static boolean present(ObjectNode fields, String name) {
    return fields.has(name) && !fields.get(name).isNull();
  }

  /** The field's value when given, its reset value when null, the current value when absent. */
  private static <T> T field(ObjectNode fields, String name, Function<JsonNode, T> read, T current, T reset) {
    JsonNode node = fields.get(name);
    if (node == null) {
      return current;
    }
    return node.isNull() ? reset : read.apply(node);
  }

  private static String text(String field, JsonNode node) {
    if (!node.isTextual()) {
      throw Problem.invalid("'" + field + "' must be a string");
    }
    return node.asText();
  }

  private static Integer integer(String field, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw Problem.invalid("'" + field + "' must be a whole number");
    }
    return node.intValue();
  }

  /** An array of strings; one string is taken as an array of one. */
  private static List<String> strings(String field, JsonNode node) {
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw Problem.invalid("'" + field + "' must be an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw Problem.invalid("'" + field + "' must be an array of strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  private static Map<String, String> stringMap(String field, JsonNode node) {
    if (!node.isObject()) {
      throw Problem.invalid("'" + field + "' must be an object of strings");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isTextual()) {
        throw Problem.invalid("'" + field + "' must be an object of strings");
      }
      values.put(entry.getKey(), entry.getValue().asText());
    }
    return values;
  }

  private static ParamOverrides overrides(JsonNode node) {
    if (!node.isObject()) {
      throw Problem.invalid("'paramOverrides' must be a JSON object, e.g. {\"max_tokens\": 1024}");
    }
    return ParamOverrides.of(node);
  }
}

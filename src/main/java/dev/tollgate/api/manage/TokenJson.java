package dev.tollgate.api.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.ApiKey;
import dev.tollgate.account.KeyService;
import dev.tollgate.account.KeyStatus;
import dev.tollgate.billing.Money;
import dev.tollgate.config.Dates;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/** API keys as {@code /api/token} shows and reads them. Never the key itself, nor its hash. */
final class TokenJson {

  /** What a body may set; the view's other fields are read-only and ignored when sent back. */
  static final Set<String> SETTABLE = Set.of("name", "status", "quota", "models", "expiresAt", "allowIps", "planId");
  static final Set<String> READ_ONLY = Set.of("id", "userId", "keyPrefix", "usedQuota", "createdAt", "lastUsedAt");

  private TokenJson() {}

  static ObjectNode view(ApiKey key) {
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("id", key.id())
        .put("userId", key.userId())
        .put("keyPrefix", key.keyPrefix())
        .put("name", key.name())
        .put("status", status(key.status()))
        .put("quota", key.quotaLimit() == null ? null : Money.microsToCents(key.quotaLimit()))
        .put("usedQuota", Money.microsToCents(key.usedQuota()));
    strings(json.putArray("models"), key.models());
    json.put("expiresAt", key.expiresAt() == null ? null : key.expiresAt().toString())
        .put("planId", key.planId());
    strings(json.putArray("allowIps"), key.allowIps());
    return json.put("createdAt", key.createdAt().toString())
        .put("lastUsedAt", key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
  }

  /**
   * The settings in the body, over {@code current}'s (or none, for a new key): a field left out
   * keeps its value, a field sent as null clears it (no quota of its own, every model, no expiry,
   * any address).
   */
  static KeyService.Settings settings(JsonNode body, KeyService.Settings current) {
    UserJson.onlyFields(body, union(SETTABLE, READ_ONLY));
    return new KeyService.Settings(
        body.has("name") ? UserJson.text(body, "name") : current == null ? null : current.name(),
        body.has("quota") ? wholeCents(body) : current == null ? null : current.quotaCents(),
        body.has("models") ? UserJson.stringSet(body, "models") : current == null ? null : current.models(),
        body.has("expiresAt") ? instant(body) : current == null ? null : current.expiresAt(),
        body.has("allowIps") ? UserJson.stringSet(body, "allowIps") : current == null ? null : current.allowIps(),
        body.has("planId") ? UserJson.whole(body, "planId") : current == null ? null : current.planId());
  }

  /** {@code active} or {@code disabled} ({@code enabled} is taken for {@code active}); null when absent. */
  static KeyStatus status(JsonNode body) {
    String status = UserJson.text(body, "status");
    if (status == null) {
      return null;
    }
    return switch (status.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "active", "enabled" -> KeyStatus.ENABLED;
      case "disabled" -> KeyStatus.DISABLED;
      default -> throw Problem.invalid("'status' must be active or disabled");
    };
  }

  private static String status(KeyStatus status) {
    return status == KeyStatus.ENABLED ? "active" : status.dbValue();
  }

  private static Long wholeCents(JsonNode body) {
    Long cents = UserJson.whole(body, "quota");
    if (cents != null && cents < 0) {
      throw Problem.invalid("'quota' must be zero or more cents, or null for no limit of its own");
    }
    return cents;
  }

  private static Instant instant(JsonNode body) {
    String text = UserJson.text(body, "expiresAt");
    try {
      return Dates.parse(text);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("'expiresAt': " + e.getMessage());
    }
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    java.util.Set<String> all = new java.util.HashSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return all;
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.stream().sorted().forEach(array::add);
  }
}

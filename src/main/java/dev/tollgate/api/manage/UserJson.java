package dev.tollgate.api.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.AccountService;
import dev.tollgate.account.User;
import dev.tollgate.billing.Money;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Users as the management API shows them, field by field: the password hash is never among them.
 * Money in whole cents.
 */
final class UserJson {

  private UserJson() {}

  static ObjectNode view(User user) {
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("id", user.id())
        .put("username", user.username())
        .put("email", user.email())
        .put("displayName", user.displayName())
        .put("role", user.role().dbValue())
        .put("status", user.status().dbValue())
        .put("group", user.group())
        .put("quota", Money.microsToCents(user.quota()))
        .put("usedQuota", Money.microsToCents(user.usedQuota()))
        .put("requestCount", user.requestCount())
        .put("inviteCode", user.inviteCode())
        .put("planId", user.planId())
        .put("createdAt", user.createdAt().toString());
    ObjectNode policy = json.putObject("routingPolicy");
    strings(policy.putArray("allowedProviders"), user.allowedProviders());
    strings(policy.putArray("allowedModels"), user.allowedModels());
    return json;
  }

  /** The answer to a registration or login: the user, their session token and when it expires. */
  static ObjectNode loggedIn(AccountService.LoggedIn in) {
    ObjectNode json = Replies.JSON.createObjectNode();
    json.set("user", view(in.user()));
    return json.put("token", in.session().token()).put("expiresAt", in.session().expiresAt().toString());
  }

  static AccountService.Registration registration(JsonNode body) {
    onlyFields(body, Set.of("username", "password", "email", "displayName", "inviteCode", "role", "group", "quota"));
    return new AccountService.Registration(
        text(body, "username"), text(body, "password"), text(body, "email"), text(body, "displayName"),
        text(body, "inviteCode"));
  }

  static AccountService.SelfUpdate selfUpdate(JsonNode body) {
    onlyFields(body, Set.of("displayName", "email", "password", "currentPassword"));
    return new AccountService.SelfUpdate(
        text(body, "displayName"), text(body, "email"), text(body, "password"), text(body, "currentPassword"));
  }

  /** A string field, or null when absent or null; any other type is a 400 naming the field. */
  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw Problem.invalid("'" + field + "' must be a string");
    }
    return value.asText();
  }

  /** A whole-number field, or null when absent or null. */
  static Long whole(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw Problem.invalid("'" + field + "' must be a whole number");
    }
    return value.asLong();
  }

  /** A list of strings, or null when absent or null. */
  static Set<String> stringSet(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw Problem.invalid("'" + field + "' must be an array of strings");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank() || item.asText().contains(",")) {
        throw Problem.invalid("'" + field + "' must hold non-empty strings without commas");
      }
      out.add(item.asText().strip());
    }
    return out;
  }

  /** Unknown fields are refused by name, so a typo is not silently ignored. */
  static void onlyFields(JsonNode body, Set<String> known) {
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!known.contains(name)) {
        throw Problem.invalid("unknown field '" + name + "'; known: " + known.stream().sorted().toList());
      }
    }
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.stream().sorted().forEach(array::add);
  }
}

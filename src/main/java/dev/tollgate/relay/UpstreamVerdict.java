package dev.tollgate.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whose problem an upstream's error answer is, which decides what routing does with it
 * (protocols.md §5.15). The upstream never sees the client's key, so anything it says about a key,
 * an account or a balance is about the channel.
 *
 * @param channelFault for {@link Kind#CHANNEL_UNUSABLE}: why, for the operator (secrets masked)
 */
record UpstreamVerdict(UpstreamVerdict.Kind kind, String channelFault) {

  enum Kind {
    /** The request's own fault (400, 404, 413, 422…): told to the client, never retried. */
    CLIENT_ERROR,
    /** The upstream is busy (429): retried elsewhere; told to the client only when nothing is left. */
    RATE_LIMITED,
    /** The upstream failed (5xx, 408, a 403 about something else than the key): retried; 502 at the end. */
    UPSTREAM_FAILURE,
    /** The channel cannot work until an operator acts (bad key, closed account, no balance). */
    CHANNEL_UNUSABLE
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UpstreamVerdict CLIENT_ERROR = new UpstreamVerdict(Kind.CLIENT_ERROR, null);
  private static final UpstreamVerdict RATE_LIMITED = new UpstreamVerdict(Kind.RATE_LIMITED, null);
  private static final UpstreamVerdict UPSTREAM_FAILURE = new UpstreamVerdict(Kind.UPSTREAM_FAILURE, null);

  /** Error types and codes (lower case) that say the key or the account is refused. */
  private static final Set<String> KEY_REFUSED = Set.of(
      "authentication_error", "invalid_api_key", "api_key_invalid", "api_key_expired", "unauthenticated",
      "account_deactivated", "access_terminated", "organization_deactivated");
  /** … that the account cannot pay. */
  private static final Set<String> NO_BALANCE = Set.of(
      "billing_error", "insufficient_quota", "billing_not_active", "billing_hard_limit_reached", "payment_required");
  /** … that the key lacks a permission (only taken as the channel's fault on a 403). */
  private static final Set<String> NOT_PERMITTED = Set.of("permission_error", "permission_denied");
  /**
   * Messages that say the same where the vendor gives no code. Not "quota": Gemini words plain
   * per-minute rate limits as "exceeded your current quota".
   */
  private static final Pattern FATAL_MESSAGE = Pattern.compile(
      "api key not valid|invalid api key|incorrect api key|api key expired|api key (?:has been |was )?(?:revoked|disabled)"
          + "|deactivated|suspended|credit balance is too low|insufficient balance|insufficient credits",
      Pattern.CASE_INSENSITIVE);

  private static final int MAX_MESSAGE = 200;
  private static final Pattern MASKED = Pattern.compile("\\S*\\*{2,}\\S*");
  private static final Pattern KEY_LIKE = Pattern.compile(
      "\\b(?:sk|rk|pk|ak)-[A-Za-z0-9_\\-]{6,}|AIza[0-9A-Za-z_\\-]{10,}|[A-Za-z0-9_\\-]{24,}");

  /** The verdict on an answer with status 400 or more. */
  static UpstreamVerdict of(int status, byte[] body, List<String> secrets) {
    if (status >= 500 || status == 408) {
      return UPSTREAM_FAILURE;
    }
    ErrorBody error = ErrorBody.read(body);
    String fault = fault(status, error);
    if (fault != null) {
      return new UpstreamVerdict(Kind.CHANNEL_UNUSABLE, describe(status, fault, error, secrets));
    }
    return switch (status) {
      case 429 -> RATE_LIMITED;
      case 403 -> UPSTREAM_FAILURE; // e.g. a region the upstream refuses: another channel may do
      default -> CLIENT_ERROR;
    };
  }

  /** What makes the channel unusable, or null when the answer does not say so. */
  private static String fault(int status, ErrorBody error) {
    boolean fatalMessage = error.message() != null && FATAL_MESSAGE.matcher(error.message()).find();
    if (status == 401 || error.hasAny(KEY_REFUSED)) {
      return "the upstream refused the channel's key";
    }
    if (status == 402 || error.hasAny(NO_BALANCE)) {
      return "the upstream account has no balance left";
    }
    if (status == 403 && error.hasAny(NOT_PERMITTED)) {
      return "the upstream denied the channel's key permission";
    }
    if (fatalMessage && (status == 400 || status == 403 || status == 429)) {
      return "the upstream refused the channel's key or account";
    }
    return null;
  }

  private static String describe(int status, String fault, ErrorBody error, List<String> secrets) {
    StringBuilder reason = new StringBuilder(fault).append(" (HTTP ").append(status);
    if (!error.tags().isEmpty()) {
      reason.append(' ').append(String.join("/", error.tags()));
    }
    reason.append(')');
    if (error.message() != null) {
      reason.append(": ").append(mask(error.message(), secrets));
    }
    return reason.toString();
  }

  /** The upstream's message without anything that looks like a key, shortened. */
  static String mask(String message, List<String> secrets) {
    String text = message;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        text = text.replace(secret, "***");
      }
    }
    text = MASKED.matcher(text).replaceAll("***");
    text = KEY_LIKE.matcher(text).replaceAll("***");
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
  }

  /** The parts of an error body that classify it, in any of the three vendors' shapes. */
  private record ErrorBody(Set<String> tags, String message) {

    boolean hasAny(Set<String> wanted) {
      for (String tag : tags) {
        if (wanted.contains(tag)) {
          return true;
        }
      }
      return false;
    }

    static ErrorBody read(byte[] body) {
      JsonNode root;
      try {
        root = body == null || body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        root = null; // an HTML page from a proxy, say: the status alone decides
      }
      if (root == null) {
        return new ErrorBody(Set.of(), null);
      }
      if (root.isArray() && !root.isEmpty()) { // Gemini through some proxies: [{"error": …}]
        root = root.get(0);
      }
      JsonNode error = root.path("error").isObject() ? root.path("error") : root;
      Set<String> tags = new TreeSet<>();
      for (String field : new String[] {"type", "code", "status"}) {
        JsonNode value = error.path(field);
        if (value.isTextual() && !value.asText().isBlank()) {
          tags.add(value.asText().toLowerCase(Locale.ROOT));
        }
      }
      for (JsonNode detail : error.path("details")) { // Gemini: ErrorInfo.reason, e.g. API_KEY_INVALID
        if (detail.path("reason").isTextual()) {
          tags.add(detail.path("reason").asText().toLowerCase(Locale.ROOT));
        }
      }
      JsonNode message = error.path("message");
      if (!message.isTextual() && root.path("message").isTextual()) {
        message = root.path("message");
      }
      return new ErrorBody(tags, message.isTextual() && !message.asText().isBlank() ? message.asText() : null);
    }
  }
}

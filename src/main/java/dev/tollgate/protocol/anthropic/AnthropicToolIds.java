package dev.tollgate.protocol.anthropic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Anthropic accepts tool ids matching {@code ^[a-zA-Z0-9_-]+$} only (protocols.md §5.6). Valid
 * ids pass unchanged; others get each foreign character replaced by {@code _} and a short digest
 * of the original appended, so two ids differing only in replaced characters stay distinct. A
 * pure function of the id: a tool_use and its tool_result always map to the same value.
 */
final class AnthropicToolIds {

  private AnthropicToolIds() {}

  static String forAnthropic(String id) {
    if (id == null || id.isEmpty()) {
      return "toolu_missing";
    }
    if (valid(id)) {
      return id;
    }
    StringBuilder out = new StringBuilder(id.length() + 9);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      out.append(allowed(c) ? c : '_');
    }
    return out.append('_').append(digest(id)).toString();
  }

  static boolean valid(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        return false;
      }
    }
    return !id.isEmpty();
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  private static String digest(String id) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}

package dev.tollgate.account;

import java.time.Instant;

/**
 * A user's own key for a provider (BYOK): their requests to models of that provider kind use it
 * instead of the shared channels' keys.
 *
 * @param provider a provider kind ({@code openai}, {@code anthropic}, {@code gemini}, …)
 * @param baseUrl where to send requests instead of the channel's base URL, or null for the channel's
 * @param secret the key in clear; held in memory only, never shown or logged (see toString)
 * @param hint what may be shown of it (its start and its last characters)
 */
public record ProviderKey(
    long id, long userId, String provider, String baseUrl, String secret, String hint, Instant createdAt,
    Instant updatedAt) {

  @Override
  public String toString() {
    return "ProviderKey[id=" + id + ", userId=" + userId + ", provider=" + provider + ", baseUrl=" + baseUrl
        + ", hint=" + hint + ", secret=***]";
  }
}

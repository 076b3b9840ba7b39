package dev.tollgate.provider.anthropic;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.BaseUrls;
import dev.tollgate.provider.Provider;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Anthropic's Messages API. The base URL is the host the Anthropic SDK would take
 * ({@code https://api.anthropic.com}); a trailing {@code /v1} is accepted too.
 */
public final class AnthropicProvider implements Provider {

  /** The API version sent when the client gave none (the one every current SDK sends). */
  public static final String DEFAULT_VERSION = "2023-06-01";

  /** Client headers an Anthropic upstream must see as the client sent them. */
  public static final List<String> CLIENT_HEADERS = List.of("anthropic-version", "anthropic-beta");

  @Override
  public String kind() {
    return "anthropic";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.ANTHROPIC;
  }

  @Override
  public String chatUrl(String baseUrl, String model, boolean stream) {
    return BaseUrls.withVersion(baseUrl, "/v1") + "/messages";
  }

  @Override
  public void authenticate(String secret, BiConsumer<String, String> header) {
    header.accept("x-api-key", secret);
    header.accept("anthropic-version", DEFAULT_VERSION);
  }
}

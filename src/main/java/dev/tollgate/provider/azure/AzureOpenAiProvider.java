package dev.tollgate.provider.azure;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.BaseUrls;
import dev.tollgate.provider.MediaOperation;
import dev.tollgate.provider.Provider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Azure OpenAI: OpenAI's protocol at a resource's own URLs, keyed by an {@code api-key} header.
 *
 * <ul>
 *   <li>Base URL = the resource endpoint, {@code https://NAME.openai.azure.com}: the upstream model
 *       name (after the channel's model mapping) is the deployment, and requests go to
 *       {@code /openai/deployments/{deployment}/chat/completions?api-version=…}.
 *   <li>A base URL with a path of its own ({@code …/openai/deployments/my-gpt4o}, or the v1 API's
 *       {@code …/openai/v1}) is used as given, with {@code /chat/completions} appended.
 * </ul>
 *
 * {@code api-version} comes from the base URL's query ({@code ?api-version=2025-04-01-preview}),
 * else {@value #DEFAULT_API_VERSION} (the v1 API takes none).
 */
public final class AzureOpenAiProvider implements Provider {

  /** The current GA version of the deployments API; it supports stream usage (stream_options). */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  /** Base URL → its parts, parsed once: channels have few distinct URLs (as in BaseUrls). */
  private static final ConcurrentHashMap<String, Endpoint> ENDPOINTS = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 10_000;

  @Override
  public String kind() {
    return "azure-openai";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  public String chatUrl(String baseUrl, String model, boolean stream) {
    return url(baseUrl, model, "/chat/completions");
  }

  @Override
  public Optional<String> embeddingsUrl(String baseUrl, String model) {
    return Optional.of(url(baseUrl, model, "/embeddings"));
  }

  @Override
  public Optional<String> mediaUrl(String baseUrl, String model, MediaOperation operation) {
    return Optional.of(url(baseUrl, model, operation.path()));
  }

  private static String url(String baseUrl, String model, String operation) {
    Endpoint endpoint = endpoint(baseUrl);
    String path = endpoint.hasPath()
        ? endpoint.root()
        : endpoint.root() + "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
    return path + operation + endpoint.query();
  }

  @Override
  public void authenticate(String secret, BiConsumer<String, String> header) {
    header.accept("api-key", secret);
  }

  private static Endpoint endpoint(String baseUrl) {
    Endpoint cached = ENDPOINTS.get(baseUrl);
    if (cached != null) {
      return cached;
    }
    Endpoint parsed = Endpoint.parse(baseUrl);
    if (ENDPOINTS.size() < MAX_CACHED) {
      ENDPOINTS.putIfAbsent(baseUrl, parsed);
    }
    return parsed;
  }

  /**
   * @param root scheme, host and path, without a trailing slash
   * @param query {@code ?…} with an {@code api-version}, or empty for the v1 API without one
   */
  private record Endpoint(String root, boolean hasPath, String query) {
    static Endpoint parse(String baseUrl) {
      URI uri = URI.create(baseUrl.strip());
      String rawQuery = uri.getRawQuery();
      String root = BaseUrls.trimmed(rawQuery == null ? uri.toString() : uri.toString().substring(0, uri.toString().indexOf('?')));
      String path = uri.getRawPath() == null ? "" : BaseUrls.trimmed(uri.getRawPath());
      boolean v1 = path.endsWith("/openai/v1");
      String query = rawQuery != null && !rawQuery.isBlank()
          ? "?" + rawQuery
          : v1 ? "" : "?api-version=" + DEFAULT_API_VERSION;
      return new Endpoint(root, !path.isEmpty(), query);
    }
  }
}

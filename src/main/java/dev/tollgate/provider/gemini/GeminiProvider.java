package dev.tollgate.provider.gemini;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.BaseUrls;
import dev.tollgate.provider.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Google's Gemini API (v1beta). The base URL is {@code https://generativelanguage.googleapis.com};
 * a trailing {@code /v1beta} is accepted too. Streams are always asked for as SSE ({@code alt=sse});
 * the key goes in a header, never in the URL, so it cannot leak into logs.
 */
public final class GeminiProvider implements Provider {

  @Override
  public String kind() {
    return "gemini";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.GEMINI;
  }

  @Override
  public String chatUrl(String baseUrl, String model, boolean stream) {
    return modelUrl(baseUrl, model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  /** Always the batch call: one input or many, one request, the vectors in order. */
  @Override
  public Optional<String> embeddingsUrl(String baseUrl, String model) {
    return Optional.of(modelUrl(baseUrl, model) + ":batchEmbedContents");
  }

  private static String modelUrl(String baseUrl, String model) {
    // Tuned models live under their own collection; every other id is one segment under models/.
    String resource = model.startsWith("tunedModels/")
        ? "tunedModels/" + segment(model.substring("tunedModels/".length()))
        : "models/" + segment(model.startsWith("models/") ? model.substring("models/".length()) : model);
    return BaseUrls.withVersion(baseUrl, "/v1beta") + "/" + resource;
  }

  private static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"); // a path, not a form
  }

  /** Gemini takes only its own file URIs by reference; web images must be sent as bytes. */
  @Override
  public boolean acceptsImageUrls() {
    return false;
  }

  @Override
  public void authenticate(String secret, BiConsumer<String, String> header) {
    header.accept("x-goog-api-key", secret);
  }
}

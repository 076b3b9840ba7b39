package dev.tollgate.provider.openai;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.BaseUrls;
import dev.tollgate.provider.MediaOperation;
import dev.tollgate.provider.Provider;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * OpenAI and every OpenAI-compatible vendor (xAI, Mistral, DeepSeek, Groq, vLLM, Ollama…). The
 * base URL is the one the OpenAI SDK would take, e.g. {@code https://api.openai.com/v1}; a bare
 * host gets {@code /v1} added, as users often paste it without.
 */
public final class OpenAiProvider implements Provider {

  @Override
  public String kind() {
    return "openai";
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  public String chatUrl(String baseUrl, String model, boolean stream) {
    return apiRoot(baseUrl) + "/chat/completions";
  }

  @Override
  public Optional<String> embeddingsUrl(String baseUrl, String model) {
    return Optional.of(apiRoot(baseUrl) + "/embeddings");
  }

  @Override
  public Optional<String> mediaUrl(String baseUrl, String model, MediaOperation operation) {
    return Optional.of(apiRoot(baseUrl) + operation.path());
  }

  @Override
  public void authenticate(String secret, BiConsumer<String, String> header) {
    header.accept("Authorization", "Bearer " + secret);
  }

  static String apiRoot(String baseUrl) {
    return BaseUrls.withVersion(baseUrl, "/v1");
  }
}

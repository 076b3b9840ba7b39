package dev.tollgate.provider;

import dev.tollgate.protocol.WireProtocol;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An upstream kind: which protocol it speaks, where its endpoints are and how it authenticates.
 * One implementation per folder under {@code provider/}; vendors that speak an existing protocol
 * are channels of an existing kind, not new code.
 */
public interface Provider {

  /** The name used in channel definitions ({@code --type}), e.g. {@code openai}. */
  String kind();

  WireProtocol protocol();

  /** The chat endpoint for a channel's base URL. */
  String chatUrl(String baseUrl, String model, boolean stream);

  /** The embeddings endpoint for a channel's base URL, or empty when this kind has none. */
  default Optional<String> embeddingsUrl(String baseUrl, String model) {
    return Optional.empty();
  }

  /**
   * The endpoint of a media operation (images, speech, transcriptions) for a channel's base URL,
   * or empty when this kind has none: they take OpenAI's request shapes, which no other protocol
   * speaks.
   */
  default Optional<String> mediaUrl(String baseUrl, String model, MediaOperation operation) {
    return Optional.empty();
  }

  /** False when the upstream needs image bytes inline: the gateway then fetches image URLs. */
  default boolean acceptsImageUrls() {
    return true;
  }

  /** Adds the headers that authenticate a request with the channel's secret. */
  void authenticate(String secret, BiConsumer<String, String> header);
}

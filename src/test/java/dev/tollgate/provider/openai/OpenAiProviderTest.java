package dev.tollgate.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.provider.MediaOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiProviderTest {

  private final OpenAiProvider provider = new OpenAiProvider();

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com/v1,              https://api.openai.com/v1/chat/completions",
      "https://api.openai.com/v1/,             https://api.openai.com/v1/chat/completions",
      "https://api.openai.com/v1//,            https://api.openai.com/v1/chat/completions",
      "https://api.openai.com,                 https://api.openai.com/v1/chat/completions",
      "https://api.openai.com/,                https://api.openai.com/v1/chat/completions",
      "http://localhost:11434,                 http://localhost:11434/v1/chat/completions",
      "http://10.0.0.5:8000/,                  http://10.0.0.5:8000/v1/chat/completions",
      "https://openrouter.ai/api/v1,           https://openrouter.ai/api/v1/chat/completions",
      "https://api.groq.com/openai/v1/,        https://api.groq.com/openai/v1/chat/completions",
      "https://example.com/custom,             https://example.com/custom/chat/completions"})
  void chatUrlJoinsTheBaseUrlAndAddsV1ToABareHost(String baseUrl, String expected) {
    assertThat(provider.chatUrl(baseUrl, "gpt-4o", false)).isEqualTo(expected);
    assertThat(provider.chatUrl(baseUrl, "gpt-4o", true)).isEqualTo(expected);
  }

  @Test
  void authenticatesWithABearerHeader() {
    Map<String, String> headers = new LinkedHashMap<>();

    provider.authenticate("sk-upstream", headers::put);

    assertThat(headers).containsExactly(Map.entry("Authorization", "Bearer sk-upstream"));
  }

  @Test
  void embeddingsSitNextToChatUnderTheApiRoot() {
    assertThat(provider.embeddingsUrl("https://api.openai.com", "text-embedding-3-small"))
        .contains("https://api.openai.com/v1/embeddings");
  }

  @Test
  void mediaEndpointsSitUnderTheApiRootToo() {
    assertThat(provider.mediaUrl("https://api.openai.com/v1", "dall-e-3", MediaOperation.IMAGE_GENERATIONS))
        .contains("https://api.openai.com/v1/images/generations");
    assertThat(provider.mediaUrl("https://api.openai.com", "tts-1", MediaOperation.SPEECH))
        .contains("https://api.openai.com/v1/audio/speech");
    assertThat(provider.mediaUrl("https://api.openai.com", "whisper-1", MediaOperation.TRANSCRIPTIONS))
        .contains("https://api.openai.com/v1/audio/transcriptions");
    assertThat(provider.mediaUrl("https://api.openai.com", "whisper-1", MediaOperation.TRANSLATIONS))
        .contains("https://api.openai.com/v1/audio/translations");
  }
}

package dev.tollgate.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.provider.MediaOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicProviderTest {

  private final AnthropicProvider provider = new AnthropicProvider();

  @ParameterizedTest
  @ValueSource(strings = {"https://api.anthropic.com", "https://api.anthropic.com/", "https://api.anthropic.com/v1",
      " https://api.anthropic.com/v1// "})
  void messagesUrlFromTheBaseUrlsOperatorsPaste(String base) {
    assertThat(provider.chatUrl(base, "claude-sonnet-4-5", true)).isEqualTo("https://api.anthropic.com/v1/messages");
  }

  @Test
  void authenticatesWithXApiKeyAndAVersion() {
    Map<String, String> headers = new LinkedHashMap<>();
    provider.authenticate("sk-ant-secret", headers::put);

    assertThat(headers).containsEntry("x-api-key", "sk-ant-secret").containsEntry("anthropic-version", "2023-06-01");
    assertThat(headers).doesNotContainKey("Authorization");
  }

  @Test
  void anthropicHasNoEmbeddings() {
    assertThat(provider.embeddingsUrl("https://api.anthropic.com", "claude")).isEmpty();
  }

  @Test
  void anthropicHasNoMediaEndpoints() {
    for (MediaOperation operation : MediaOperation.values()) {
      assertThat(provider.mediaUrl("https://api.anthropic.com", "claude", operation)).isEmpty();
    }
  }
}

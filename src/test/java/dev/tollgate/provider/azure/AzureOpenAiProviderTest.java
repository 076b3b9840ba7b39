package dev.tollgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.MediaOperation;
import dev.tollgate.provider.Providers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureOpenAiProviderTest {

  private final AzureOpenAiProvider azure = new AzureOpenAiProvider();

  @Test
  void theUpstreamModelIsTheDeploymentUnderTheResourceEndpoint() {
    assertThat(azure.chatUrl("https://acme.openai.azure.com/", "gpt-4o-prod", true))
        .isEqualTo("https://acme.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version="
            + AzureOpenAiProvider.DEFAULT_API_VERSION);
  }

  @Test
  void anApiVersionInTheBaseUrlIsKept() {
    assertThat(azure.chatUrl("https://acme.openai.azure.com?api-version=2025-04-01-preview", "d1", false))
        .isEqualTo("https://acme.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2025-04-01-preview");
  }

  @Test
  void aDeploymentUrlIsUsedAsGiven() {
    assertThat(azure.chatUrl("https://acme.openai.azure.com/openai/deployments/my-gpt4o/?api-version=2024-06-01", "ignored", false))
        .isEqualTo("https://acme.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-06-01");
  }

  @Test
  void theV1ApiNeedsNoVersion() {
    assertThat(azure.chatUrl("https://acme.openai.azure.com/openai/v1", "gpt-4o", false))
        .isEqualTo("https://acme.openai.azure.com/openai/v1/chat/completions");
  }

  @Test
  void theKeyGoesInTheApiKeyHeaderAndTheProtocolIsOpenAis() {
    Map<String, String> headers = new HashMap<>();
    azure.authenticate("az-key", headers::put);

    assertThat(headers).containsExactly(Map.entry("api-key", "az-key"));
    assertThat(azure.protocol()).isEqualTo(WireProtocol.OPENAI);
    assertThat(Providers.builtIn().find("azure-openai")).containsInstanceOf(AzureOpenAiProvider.class);
  }

  @Test
  void embeddingsGoToTheDeploymentsEmbeddingsWithItsVersion() {
    assertThat(azure.embeddingsUrl("https://r.openai.azure.com?api-version=2024-06-01", "emb 3"))
        .contains("https://r.openai.azure.com/openai/deployments/emb%203/embeddings?api-version=2024-06-01");
  }

  @Test
  void mediaGoesToTheDeploymentWithItsVersion() {
    assertThat(azure.mediaUrl("https://r.openai.azure.com?api-version=2024-06-01", "whisper", MediaOperation.TRANSCRIPTIONS))
        .contains("https://r.openai.azure.com/openai/deployments/whisper/audio/transcriptions?api-version=2024-06-01");
  }
}

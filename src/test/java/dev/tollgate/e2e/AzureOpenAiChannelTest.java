package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.provider.azure.AzureOpenAiProvider;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An Azure OpenAI channel: the mapped model names the deployment, the key goes in api-key. */
@UsesDatabase
class AzureOpenAiChannelTest {

  @TempDir Path dataDir;

  @Test
  void requestsGoToTheDeploymentWithTheApiVersionAndTheApiKeyHeader() {
    try (MockOpenAiUpstream azure = new MockOpenAiUpstream(); TestGateway gateway = TestGateway.start(dataDir)) {
      gateway.addChannel("azure-openai", azure.azureEndpoint(), List.of("gpt-4o"), Map.of("gpt-4o", "mock-text"));
      String key = gateway.createKey();

      for (boolean stream : new boolean[] {false, true}) {
        HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, Http.chat("gpt-4o", stream));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(stream ? "there" : "Hello there!");
        MockOpenAiUpstream.Received received = azure.last();
        assertThat(received.path()).isEqualTo("/openai/deployments/mock-text/chat/completions");
        assertThat(received.query()).isEqualTo("api-version=" + AzureOpenAiProvider.DEFAULT_API_VERSION);
        assertThat(received.headers()).containsEntry("api-key", "sk-upstream-secret").doesNotContainKey("authorization");
      }
    }
  }
}

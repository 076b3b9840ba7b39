package dev.tollgate.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.provider.MediaOperation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeminiProviderTest {

  private final GeminiProvider provider = new GeminiProvider();

  @Test
  void nonStreamedCallsGenerateContent() {
    assertThat(provider.chatUrl("https://generativelanguage.googleapis.com", "gemini-2.5-flash", false))
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void streamsAreAskedForAsSse() {
    assertThat(provider.chatUrl("https://generativelanguage.googleapis.com/v1beta/", "models/gemini-2.5-pro", true))
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
  }

  @Test
  void modelIdsAreEncodedAsOnePathSegment() {
    assertThat(provider.chatUrl("http://127.0.0.1:9000", "odd/my model", false))
        .isEqualTo("http://127.0.0.1:9000/v1beta/models/odd%2Fmy%20model:generateContent");
  }

  @Test
  void tunedModelsKeepTheirCollection() {
    assertThat(provider.chatUrl("https://generativelanguage.googleapis.com", "tunedModels/my-tune-1", false))
        .isEqualTo("https://generativelanguage.googleapis.com/v1beta/tunedModels/my-tune-1:generateContent");
  }

  @Test
  void theKeyGoesInAHeaderNeverInTheUrl() {
    Map<String, String> headers = new LinkedHashMap<>();
    provider.authenticate("AIza-secret", headers::put);

    assertThat(headers).containsExactly(Map.entry("x-goog-api-key", "AIza-secret"));
    assertThat(provider.chatUrl("https://generativelanguage.googleapis.com", "g", false)).doesNotContain("key=");
  }

  @Test
  void embeddingsAlwaysUseTheBatchCallOfTheModel() {
    assertThat(provider.embeddingsUrl("https://generativelanguage.googleapis.com/v1beta", "models/text-embedding-004"))
        .contains("https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents");
  }

  @Test
  void geminiTakesNoOpenAiMediaRequests() {
    for (MediaOperation operation : MediaOperation.values()) {
      assertThat(provider.mediaUrl("https://generativelanguage.googleapis.com/v1beta", "imagen", operation)).isEmpty();
    }
  }
}

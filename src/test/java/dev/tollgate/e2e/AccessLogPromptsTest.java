package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.TollgateConfig;
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

/**
 * The access log's debug option, {@code log.access_prompts}: the line of a relayed request then
 * holds its prompt as the client sent it, whatever protocol it spoke; still never the answer nor a
 * key. (Without the option no line holds a prompt: {@link MetricsTest}.)
 */
@UsesDatabase
class AccessLogPromptsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void withTheDebugOptionEachLineHoldsItsPromptButNotTheAnswer() throws Exception {
    try (MockOpenAiUpstream upstream = new MockOpenAiUpstream();
        TestGateway gateway = TestGateway.start(dataDir, config -> config.withLog(
            new TollgateConfig.Log(false, dataDir.resolve("access.log").toString(), true)))) {
      gateway.addChannel(upstream.baseUrl(), List.of("mock-text"), Map.of());
      String key = gateway.createKey();
      HttpResponse<String> chat = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
          Http.chat("mock-text", false));
      HttpResponse<String> messages = Http.postJson(gateway.baseUrl() + "/v1/messages", key,
          "{\"model\":\"mock-text\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a joke\"}]}");
      assertThat(chat.statusCode()).isEqualTo(200);
      assertThat(messages.statusCode()).isEqualTo(200);

      List<String> lines = gateway.accessLines(2);
      assertThat(lines).hasSize(2);
      JsonNode openAi = JSON.readTree(lines.stream().filter(l -> l.contains("\"protocol\":\"openai\"")).findFirst().orElseThrow());
      JsonNode anthropic = JSON.readTree(lines.stream().filter(l -> l.contains("\"protocol\":\"anthropic\"")).findFirst().orElseThrow());
      assertThat(openAi.path("prompt").asText()).contains("Say hello");
      assertThat(anthropic.path("prompt").asText()).contains("Tell me a joke");
      assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(key).doesNotContain("there!"));
    }
  }
}

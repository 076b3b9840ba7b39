package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thinking of Anthropic and Gemini upstreams reaches OpenAI clients as {@code reasoning_content}
 * only when wanted: by {@code protocols.openai.reasoning_content} or per request by the header
 * {@code x-tollgate-reasoning: content | none}. Reasoning tokens are reported either way.
 */
@UsesDatabase
class ReasoningContentTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> WANTED = Map.of("x-tollgate-reasoning", "content");
  private static final Map<String, String> REFUSED = Map.of("x-tollgate-reasoning", "none");

  @TempDir static Path dataDir;
  @TempDir static Path onByDefaultDataDir;
  static MockAnthropicUpstream anthropic;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static TestGateway onByDefault;
  static String key;
  static String onByDefaultKey;

  @BeforeAll
  static void start() {
    anthropic = new MockAnthropicUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    onByDefault = TestGateway.start(onByDefaultDataDir,
        new TollgateConfig.Protocols(new TollgateConfig.OpenAi(true), null));
    for (TestGateway g : List.of(gateway, onByDefault)) {
      g.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-thinking"), Map.of());
      g.addChannel("gemini", gemini.baseUrl(), List.of("gemini-thinking"), Map.of());
    }
    key = gateway.createKey();
    onByDefaultKey = onByDefault.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    onByDefault.close();
    anthropic.close();
    gemini.close();
  }

  private static JsonNode ask(TestGateway at, String apiKey, String model, boolean stream, Map<String, String> headers)
      throws Exception {
    String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"reasoning_effort\":\"low\","
        + "\"stream_options\":" + (stream ? "{\"include_usage\":true}" : "null")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}";
    HttpResponse<String> response = Http.postJson(at.baseUrl() + "/v1/chat/completions", apiKey, body, headers);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return stream ? accumulate(response.body()) : JSON.readTree(response.body());
  }

  /** A stream folded into {content, reasoning_content, usage} the way a client would read it. */
  private static JsonNode accumulate(String sse) throws Exception {
    StringBuilder content = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    boolean sawReasoning = false;
    JsonNode usage = null;
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
        continue;
      }
      JsonNode chunk = JSON.readTree(line.substring(6));
      for (JsonNode choice : chunk.path("choices")) {
        content.append(choice.path("delta").path("content").asText(""));
        if (choice.path("delta").has("reasoning_content")) {
          sawReasoning = true;
          reasoning.append(choice.path("delta").path("reasoning_content").asText());
        }
      }
      if (chunk.hasNonNull("usage")) {
        usage = chunk.get("usage");
      }
    }
    var message = JSON.createObjectNode().put("content", content.toString());
    if (sawReasoning) {
      message.put("reasoning_content", reasoning.toString());
    }
    var answer = JSON.createObjectNode();
    answer.putArray("choices").addObject().set("message", message);
    answer.set("usage", usage);
    return answer;
  }

  private static JsonNode message(JsonNode answer) {
    return answer.path("choices").get(0).path("message");
  }

  @Test
  void byDefaultAnthropicThinkingIsLeftOutStreamedOrNot() throws Exception {
    for (boolean stream : List.of(false, true)) {
      JsonNode answer = ask(gateway, key, "claude-thinking", stream, Map.of());

      assertThat(message(answer).path("content").asText()).as("streamed: %s", stream).isEqualTo("It is sunny.");
      assertThat(message(answer).has("reasoning_content")).as("streamed: %s", stream).isFalse();
      assertThat(answer.at("/usage/completion_tokens_details").has("reasoning_tokens")).isTrue();
    }
  }

  @Test
  void theHeaderBringsAnthropicThinkingAsReasoningContentStreamedOrNot() throws Exception {
    for (boolean stream : List.of(false, true)) {
      JsonNode answer = ask(gateway, key, "claude-thinking", stream, WANTED);

      assertThat(message(answer).path("content").asText()).as("streamed: %s", stream).isEqualTo("It is sunny.");
      assertThat(message(answer).path("reasoning_content").asText()).as("streamed: %s", stream)
          .isEqualTo("Let me think. Sunny.");
    }
  }

  @Test
  void geminiIsAskedForItsThoughtsOnlyWhenTheClientWantsThemAndThoughtTokensCountEitherWay() throws Exception {
    JsonNode without = ask(gateway, key, "gemini-thinking", false, Map.of());
    JsonNode sentWithout = gemini.last().body();
    JsonNode with = ask(gateway, key, "gemini-thinking", false, WANTED);
    JsonNode sentWith = gemini.last().body();

    assertThat(sentWithout.at("/generationConfig/thinkingConfig").has("includeThoughts")).isFalse();
    assertThat(message(without).has("reasoning_content")).isFalse();
    assertThat(without.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(5);
    assertThat(sentWith.at("/generationConfig/thinkingConfig/includeThoughts").asBoolean()).isTrue();
    assertThat(message(with).path("reasoning_content").asText()).isEqualTo("Let me think.");
    assertThat(message(with).path("content").asText()).isEqualTo("Sunny.");
    assertThat(with.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(5);

    JsonNode streamed = ask(gateway, key, "gemini-thinking", true, WANTED);
    assertThat(message(streamed).path("reasoning_content").asText()).isEqualTo("Let me think.");
    assertThat(streamed.at("/usage/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void whenConfiguredOnReasoningContentComesWithoutTheHeaderAndTheHeaderCanTurnItOff() throws Exception {
    for (boolean stream : List.of(false, true)) {
      assertThat(message(ask(onByDefault, onByDefaultKey, "claude-thinking", stream, Map.of())).path("reasoning_content").asText())
          .as("streamed: %s", stream).isEqualTo("Let me think. Sunny.");
      assertThat(message(ask(onByDefault, onByDefaultKey, "claude-thinking", stream, REFUSED)).has("reasoning_content"))
          .as("streamed: %s", stream).isFalse();
    }
  }

  @Test
  void anUnknownHeaderValueIsTheClientsError() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key,
        Http.chat("claude-thinking", false), Map.of("x-tollgate-reasoning", "loud"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("x-tollgate-reasoning");
  }
}

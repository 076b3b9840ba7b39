package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockAnthropicUpstream;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code x-tollgate-dropped-params} (protocols.md §5.16): a converted answer names what the
 * conversion left out of the client's request, streamed or not; a passthrough never does.
 */
@UsesDatabase
class DroppedParamsHeaderTest {

  private static final String HEADER = "x-tollgate-dropped-params";

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockAnthropicUpstream anthropic;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    anthropic = new MockAnthropicUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(openAi.baseUrl(), List.of("mock-text"), Map.of());
    gateway.addChannel("anthropic", anthropic.baseUrl(), List.of("claude-text"), Map.of());
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-text"), Map.of());
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    anthropic.close();
    gemini.close();
  }

  private static HttpResponse<String> chat(String model, boolean stream, String extraMembers) {
    return Http.postJson(gateway.baseUrl() + "/v1/chat/completions", key, "{\"model\":\"" + model + "\",\"stream\":"
        + stream + "," + extraMembers + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}");
  }

  private static HttpResponse<String> messages(String model, boolean stream, String extraMembers) {
    return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
        .header("x-api-key", key)
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "token-efficient-tools-2025-02-19")
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
            + "," + extraMembers + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
  }

  private static Optional<String> dropped(HttpResponse<String> response) {
    return response.headers().firstValue(HEADER);
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void openAiToAnthropicNamesThePenaltyAndTheSeed(boolean stream) {
    HttpResponse<String> response = chat("claude-text", stream, "\"presence_penalty\":0.5,\"seed\":42,\"temperature\":0.3,");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(dropped(response)).contains("presence_penalty,seed");
    assertThat(response.body()).contains("Hello");
    assertThat(anthropic.last().body().has("seed")).isFalse();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void anthropicToGeminiNamesDisableParallelToolUseAndTheBetaHeader(boolean stream) {
    HttpResponse<String> response = messages("gemini-text", stream,
        "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],"
            + "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true},");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(dropped(response)).contains("disable_parallel_tool_use,anthropic-beta");
    assertThat(response.body()).contains("Hello");
  }

  @Test
  void unknownTopLevelFieldsOfAConversionAreNamed() {
    assertThat(dropped(chat("claude-text", false, "\"logit_bias\":{\"1\":2},\"x_vendor_flag\":true,"))).contains("logit_bias,x_vendor_flag");
  }

  @Test
  void aConversionThatLosesNothingSetsNoHeader() {
    assertThat(dropped(chat("claude-text", false, "\"temperature\":0.3,\"user\":\"u-1\","))).isEmpty();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aPassthroughNeverSetsTheHeader(boolean stream) {
    assertThat(dropped(chat("mock-text", stream, "\"presence_penalty\":0.5,\"x_vendor_flag\":true,"))).isEmpty();
    assertThat(dropped(messages("claude-text", stream, "\"x_future_option\":1,"))).isEmpty();
  }
}

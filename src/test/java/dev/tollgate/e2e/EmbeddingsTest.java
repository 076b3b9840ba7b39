package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.MockEmbeddings;
import dev.tollgate.testing.MockGeminiUpstream;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embeddings through the gateway with the official SDKs: OpenAI's {@code /v1/embeddings} and
 * Gemini's {@code :embedContent} / {@code :batchEmbedContents}, each served by a channel of its
 * own protocol (passthrough) and of the other one (conversion).
 */
@UsesDatabase
class EmbeddingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static MockGeminiUpstream gemini;
  static TestGateway gateway;
  static String key;
  static OpenAIClient openAiClient;
  static Client geminiClient;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    gemini = new MockGeminiUpstream();
    gateway = TestGateway.start(dataDir);
    gateway.addChannel(openAi.baseUrl(), List.of("text-embedding-3-small", "oa-mapped", "embed-400"),
        Map.of("oa-mapped", "text-embedding-3-large"));
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("gemini-embedding-001", "gm-mapped"),
        Map.of("gm-mapped", "gemini-embedding-001"));
    // Failover: the OpenAI channel fails (embed-500), the Gemini one answers.
    gateway.addChannel("openai", openAi.baseUrl(), List.of("failing-embed"), Map.of("failing-embed", "embed-500"), 10, 1);
    gateway.addChannel("gemini", gemini.baseUrl(), List.of("failing-embed"), Map.of("failing-embed", "gemini-embedding-001"), 0, 1);
    key = gateway.createKey();
    openAiClient = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
    geminiClient = Client.builder()
        .apiKey(key)
        .httpOptions(HttpOptions.builder().baseUrl(gateway.baseUrl())
            .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
        .build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
    gemini.close();
  }

  private static EmbeddingCreateParams.Builder openAiAsk(String model, List<String> texts, EmbeddingCreateParams.EncodingFormat format) {
    return EmbeddingCreateParams.builder().model(model).inputOfArrayOfStrings(texts).encodingFormat(format);
  }

  private static List<Float> expected(int index, String text) {
    List<Float> values = new ArrayList<>();
    for (float value : MockEmbeddings.vector(index, text)) {
      values.add(value);
    }
    return values;
  }

  private static List<String> texts(int count) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add("t" + i);
    }
    return texts;
  }

  // --- OpenAI client, OpenAI channel: passthrough ---

  @Test
  void openAiFloatsPassThroughWithTheUpstreamsUsageAndTheMappedModel() {
    var raw = openAiClient.embeddings().withRawResponse().create(
        openAiAsk("oa-mapped", List.of("alpha", "be"), EmbeddingCreateParams.EncodingFormat.FLOAT).user("u-9").build());
    CreateEmbeddingResponse response = raw.parse();

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().stream().filter(e -> e.index() == 0).findFirst().orElseThrow().embedding())
        .isEqualTo(expected(0, "alpha"));
    assertThat(response.data().stream().filter(e -> e.index() == 1).findFirst().orElseThrow().embedding())
        .isEqualTo(expected(1, "be"));
    assertThat(response.usage().promptTokens()).isEqualTo(2L * MockEmbeddings.TOKENS_PER_INPUT);

    JsonNode sent = openAi.last().body();
    assertThat(openAi.last().path()).isEqualTo("/v1/embeddings");
    assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-large");
    assertThat(sent.path("user").asText()).as("the client's own fields travel").isEqualTo("u-9");
    assertThat(sent.path("encoding_format").asText()).isEqualTo("float");

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.modelRequested()).isEqualTo("oa-mapped");
    assertThat(record.modelUsed()).isEqualTo("text-embedding-3-large");
    assertThat(record.promptTokens()).isEqualTo(2 * MockEmbeddings.TOKENS_PER_INPUT);
    assertThat(record.completionTokens()).isZero();
    assertThat(record.tokensEstimated()).isFalse();
  }

  @Test
  void openAiBase64PassesThroughAndTheSdkDecodesIt() {
    CreateEmbeddingResponse response = openAiClient.embeddings().create(
        openAiAsk("text-embedding-3-small", List.of("x"), EmbeddingCreateParams.EncodingFormat.BASE64).build());

    assertThat(response.data().get(0).embedding()).isEqualTo(expected(0, "x"));
    assertThat(openAi.last().body().path("encoding_format").asText()).isEqualTo("base64");
  }

  // --- OpenAI client, Gemini channel: conversion ---

  @Test
  void openAiClientServedByGeminiGetsVectorsInOrderAndAnEstimatedUsage() {
    var raw = openAiClient.embeddings().withRawResponse().create(
        openAiAsk("gemini-embedding-001", List.of("first text", "second"), EmbeddingCreateParams.EncodingFormat.FLOAT)
            .dimensions(3).build());
    CreateEmbeddingResponse response = raw.parse();

    assertThat(response.data().get(0).index()).isZero();
    assertThat(response.data().get(0).embedding()).isEqualTo(expected(0, "first text"));
    assertThat(response.data().get(1).embedding()).isEqualTo(expected(1, "second"));
    assertThat(response.model()).isEqualTo("gemini-embedding-001");
    assertThat(response.usage().promptTokens()).isPositive();

    assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    JsonNode requests = gemini.last().body().path("requests");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).path("model").asText()).isEqualTo("models/gemini-embedding-001");
    assertThat(requests.get(1).at("/content/parts/0/text").asText()).isEqualTo("second");
    assertThat(requests.get(0).path("outputDimensionality").asInt()).isEqualTo(3);
    assertThat(gemini.last().authorization()).as("x-goog-api-key").isEqualTo("sk-upstream-secret");

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.tokensEstimated()).isTrue();
    assertThat(record.promptTokens()).isEqualTo((int) response.usage().promptTokens());
  }

  @Test
  void base64IsMadeByTheGatewayForAGeminiChannel() {
    CreateEmbeddingResponse response = openAiClient.embeddings().create(
        openAiAsk("gemini-embedding-001", List.of("abc"), EmbeddingCreateParams.EncodingFormat.BASE64).build());

    assertThat(response.data().get(0).embedding()).isEqualTo(expected(0, "abc"));
  }

  @Test
  void moreInputsThanGeminiTakesInOneCallAreSplitAndJoinedInOrder() {
    int before = gemini.receivedCount();
    List<String> texts = texts(250);

    CreateEmbeddingResponse response = openAiClient.embeddings().create(
        openAiAsk("gm-mapped", texts, EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(gemini.receivedCount() - before).isEqualTo(3);
    assertThat(response.data()).hasSize(250);
    for (int i = 0; i < 250; i++) {
      assertThat(response.data().get(i).index()).isEqualTo(i);
      assertThat(response.data().get(i).embedding()).as("input %d", i).isEqualTo(expected(i, texts.get(i)));
    }
  }

  @Test
  void aFailingChannelIsFailedOverToTheNext() {
    var raw = openAiClient.embeddings().withRawResponse().create(
        openAiAsk("failing-embed", List.of("q"), EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(raw.parse().data().get(0).embedding()).isEqualTo(expected(0, "q"));
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.attempts()).hasSize(2);
    assertThat(record.attempts().get(0).status()).isEqualTo(500);
    assertThat(record.attempts().get(1).status()).isEqualTo(200);
  }

  @Test
  void tokenArraysCannotBeServedByGeminiAndSayWhy() {
    assertThatThrownBy(() -> openAiClient.embeddings().create(EmbeddingCreateParams.builder()
            .model("gemini-embedding-001").inputOfArrayOfTokens(List.of(1L, 2L, 3L)).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("token arrays");
  }

  @Test
  void tokenArraysPassThroughToAnOpenAiChannel() {
    CreateEmbeddingResponse response = openAiClient.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfTokenArrays(List.of(List.of(1L, 2L), List.of(3L))).build());

    assertThat(response.data()).hasSize(2);
    assertThat(openAi.last().body().path("input").toString()).isEqualTo("[[1,2],[3]]");
  }

  // --- Gemini client ---

  @Test
  void geminiSdkServedByAnOpenAiChannel() {
    EmbedContentResponse response = geminiClient.models.embedContent(
        "text-embedding-3-small", List.of("hello", "world!"), EmbedContentConfig.builder().build());

    List<ContentEmbedding> embeddings = response.embeddings().orElseThrow();
    assertThat(embeddings).hasSize(2);
    assertThat(embeddings.get(0).values().orElseThrow()).isEqualTo(expected(0, "hello"));
    assertThat(embeddings.get(1).values().orElseThrow()).isEqualTo(expected(1, "world!"));
    JsonNode sent = openAi.last().body();
    assertThat(openAi.last().path()).isEqualTo("/v1/embeddings");
    assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(sent.path("input").toString()).isEqualTo("[\"hello\",\"world!\"]");
  }

  @Test
  void geminiSdkServedByAGeminiChannelKeepsFieldsTheGatewayDoesNotRead() {
    EmbedContentResponse response = geminiClient.models.embedContent("gm-mapped", "find me",
        EmbedContentConfig.builder().taskType("RETRIEVAL_QUERY").outputDimensionality(3).build());

    assertThat(response.embeddings().orElseThrow().get(0).values().orElseThrow()).isEqualTo(expected(0, "find me"));
    JsonNode request = gemini.last().body().path("requests").get(0);
    assertThat(request.path("model").asText()).isEqualTo("models/gemini-embedding-001");
    assertThat(request.path("taskType").asText()).isEqualTo("RETRIEVAL_QUERY");
    assertThat(request.path("outputDimensionality").asInt()).isEqualTo(3);
  }

  @Test
  void embedContentServedByAGeminiChannelComesBackUnwrapped() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1beta/models/gemini-embedding-001:embedContent",
        key, "{\"content\":{\"parts\":[{\"text\":\"solo\"}]},\"title\":\"Doc\",\"taskType\":\"RETRIEVAL_DOCUMENT\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("embedding").path("values").toString()).isEqualTo("[0.5,4.0,0.25]");
    assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(gemini.last().body().at("/requests/0/title").asText()).isEqualTo("Doc");
  }

  @Test
  void embedContentServedByAnOpenAiChannel() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1beta/models/text-embedding-3-small:embedContent",
        key, "{\"content\":{\"parts\":[{\"text\":\"one\"}]}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("embedding").path("values").toString()).isEqualTo("[0.5,3.0,0.25]");
    assertThat(openAi.last().body().path("input").toString()).isEqualTo("[\"one\"]");
  }

  // --- bad input and upstream refusals, in the caller's shape ---

  @Test
  void anEmptyInputArrayIsAnOpenAi400NamingTheField() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1/embeddings", key,
        "{\"model\":\"text-embedding-3-small\",\"input\":[]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("input");
  }

  @Test
  void inputsOfTheWrongTypeAreRefusedBeforeAnyUpstreamCall() {
    int before = openAi.receivedCount();
    HttpResponse<String> number = Http.postJson(gateway.baseUrl() + "/v1/embeddings", key,
        "{\"model\":\"text-embedding-3-small\",\"input\":42}");
    HttpResponse<String> format = Http.postJson(gateway.baseUrl() + "/v1/embeddings", key,
        "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"hex\"}");

    assertThat(number.statusCode()).isEqualTo(400);
    assertThat(format.statusCode()).isEqualTo(400);
    assertThat(format.body()).contains("encoding_format");
    assertThat(openAi.receivedCount()).isEqualTo(before);
  }

  @Test
  void aGeminiRequestWithoutContentIsAGemini400() throws Exception {
    HttpResponse<String> response = Http.postJson(gateway.baseUrl() + "/v1beta/models/gemini-embedding-001:batchEmbedContents",
        key, "{\"requests\":[{\"model\":\"models/gemini-embedding-001\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("message").asText()).contains("content");
  }

  @Test
  void theGeminiSdkHearsABadRequestAsAnApiException() {
    assertThatThrownBy(() -> geminiClient.models.embedContent("gemini-embedding-001", List.of(), EmbedContentConfig.builder().build()))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void anUpstreamRefusalOfTheSameProtocolIsPassedOnAsWorded() {
    assertThatThrownBy(() -> openAiClient.embeddings().create(
            openAiAsk("embed-400", List.of("x"), EmbeddingCreateParams.EncodingFormat.FLOAT).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("mock: bad embeddings input");
  }

  @Test
  void aModelNoChannelServesIsA404InEachShape() throws Exception {
    HttpResponse<String> openAiShape = Http.postJson(gateway.baseUrl() + "/v1/embeddings", key,
        "{\"model\":\"nobody-serves-this\",\"input\":\"x\"}");
    HttpResponse<String> geminiShape = Http.postJson(gateway.baseUrl() + "/v1beta/models/nobody-serves-this:embedContent",
        key, "{\"content\":{\"parts\":[{\"text\":\"x\"}]}}");

    assertThat(openAiShape.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(openAiShape.body()).path("error").path("message").asText()).contains("nobody-serves-this");
    assertThat(geminiShape.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(geminiShape.body()).path("error").path("status").asText()).isEqualTo("NOT_FOUND");
  }
}

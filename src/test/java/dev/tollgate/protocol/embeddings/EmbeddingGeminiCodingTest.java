package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.failure;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.json;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddingGeminiCodingTest {

  // --- canonical → upstream batch request ---

  @Test
  void eachInputBecomesOneBatchRequestNamingTheUpstreamModel() {
    EmbeddingRequest request = new EmbeddingRequest("client-name",
        List.of(new EmbeddingInput.Text("first"), new EmbeddingInput.Text("second")), null, true, "u-1");

    JsonNode body = tree(GeminiEmbeddings.encodeBatchRequest(request, "gemini-embedding-001"));

    assertThat(body.toString()).isEqualTo("{\"requests\":["
        + "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"first\"}]}},"
        + "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"second\"}]}}]}");
  }

  @Test
  void dimensionsTravelAsOutputDimensionalityOfEveryRequest() {
    EmbeddingRequest request = new EmbeddingRequest("m",
        List.of(new EmbeddingInput.Text("a"), new EmbeddingInput.Text("b")), 768, false, null);

    JsonNode requests = tree(GeminiEmbeddings.encodeBatchRequest(request, "gemini-embedding-001")).get("requests");

    assertThat(requests.get(0).get("outputDimensionality").intValue()).isEqualTo(768);
    assertThat(requests.get(1).get("outputDimensionality").intValue()).isEqualTo(768);
  }

  @Test
  void anUpstreamModelAlreadyPrefixedIsNotPrefixedTwice() {
    EmbeddingRequest request = new EmbeddingRequest("m", List.of(new EmbeddingInput.Text("a")), null, false, null);

    JsonNode body = tree(GeminiEmbeddings.encodeBatchRequest(request, "models/text-embedding-004"));

    assertThat(body.get("requests").get(0).get("model").asText()).isEqualTo("models/text-embedding-004");
  }

  @Test
  void aTokenArrayCannotBeSentToGemini() {
    EmbeddingRequest request = new EmbeddingRequest("m", List.of(new EmbeddingInput.Tokens(new int[] {1, 2})), null, false, null);

    GatewayError error = failure(() -> GeminiEmbeddings.encodeBatchRequest(request, "gemini-embedding-001"));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo("input");
    assertThat(error.message()).contains("token arrays can only be served by an OpenAI-format channel");
  }

  @Test
  void aTokenArrayAmongSeveralInputsIsNamedByPosition() {
    EmbeddingRequest request = new EmbeddingRequest("m",
        List.of(new EmbeddingInput.Tokens(new int[] {1}), new EmbeddingInput.Tokens(new int[] {2})), null, false, null);

    assertThat(failure(() -> GeminiEmbeddings.encodeBatchRequest(request, "g")).param()).isEqualTo("input[0]");
  }

  // --- upstream answers → canonical ---

  @Test
  void aBatchAnswerIsReadInRequestOrderWithoutUsage() {
    EmbeddingResponse response = GeminiEmbeddings.decodeBatchResponse(json(
        "{\"embeddings\":[{\"values\":[0.25,-1]},{\"values\":[3.5,0.1]}]}"));

    assertThat(response.vectors()).containsExactly(new float[] {0.25f, -1f}, new float[] {3.5f, 0.1f});
    assertThat(response.promptTokens()).isNull();
  }

  @Test
  void anEmbedContentAnswerIsOneVector() {
    EmbeddingResponse response = GeminiEmbeddings.decodeEmbedContentResponse(json("{\"embedding\":{\"values\":[0.01,-0.02]}}"));

    assertThat(response.vectors()).containsExactly(new float[] {0.01f, -0.02f});
    assertThat(response.promptTokens()).isNull();
  }

  @Test
  void usageMetadataIsReadWhenAnUpstreamAddsIt() {
    EmbeddingResponse response = GeminiEmbeddings.decodeEmbedContentResponse(json(
        "{\"embedding\":{\"values\":[1]},\"usageMetadata\":{\"promptTokenCount\":6,\"totalTokenCount\":6}}"));

    assertThat(response.promptTokens()).isEqualTo(6);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "nope", "[]", "{}", "{\"embedding\":{\"values\":[1]}}", "{\"embeddings\":null}", "{\"embeddings\":[{}]}",
      "{\"embeddings\":[{\"values\":[1,null]}]}", "{\"embeddings\":[[1,2]]}", "{\"embeddings\":[{\"values\":\"AAAA\"}]}"})
  void aMalformedBatchAnswerIsAnUpstreamError(String body) {
    GatewayError error = failure(() -> GeminiEmbeddings.decodeBatchResponse(json(body)));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).startsWith("the upstream answer");
  }

  @Test
  void anEmbedContentAnswerWithoutEmbeddingIsAnUpstreamError() {
    GatewayError error = failure(() -> GeminiEmbeddings.decodeEmbedContentResponse(json("{\"embeddings\":[{\"values\":[1]}]}")));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).contains("'embedding'");
  }

  @Test
  void anErrorInsideTheAnswerIsAnUpstreamErrorWithItsMessage() {
    GatewayError error = failure(() -> GeminiEmbeddings.decodeBatchResponse(json(
        "{\"error\":{\"code\":400,\"message\":\"at most 100 requests can be in one batch\",\"status\":\"INVALID_ARGUMENT\"}}")));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).isEqualTo("the upstream failed: at most 100 requests can be in one batch");
  }

  // --- canonical → Gemini client answers ---

  @Test
  void theEmbedContentAnswerHasGeminisShape() {
    byte[] body = GeminiEmbeddings.encodeEmbedContentResponse(new EmbeddingResponse(List.<float[]>of(new float[] {1f, -2.5f}), 4));

    assertThat(tree(body).toString()).isEqualTo("{\"embedding\":{\"values\":[1.0,-2.5]}}");
  }

  @Test
  void theBatchAnswerHasGeminisShapeInOrderAndNoUsage() {
    byte[] body = GeminiEmbeddings.encodeBatchResponse(
        new EmbeddingResponse(List.of(new float[] {1f}, new float[] {2f}, new float[] {3f}), 4));

    assertThat(tree(body).toString())
        .isEqualTo("{\"embeddings\":[{\"values\":[1.0]},{\"values\":[2.0]},{\"values\":[3.0]}]}");
  }

  @Test
  void anEmbedContentAnswerOfOtherThanOneVectorIsAnUpstreamError() {
    EmbeddingResponse two = new EmbeddingResponse(List.of(new float[] {1f}, new float[] {2f}), null);

    GatewayError error = failure(() -> GeminiEmbeddings.encodeEmbedContentResponse(two));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).contains("2 embeddings for 1 input");
  }
}

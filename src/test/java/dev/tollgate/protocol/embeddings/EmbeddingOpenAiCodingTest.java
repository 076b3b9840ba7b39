package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.failure;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.json;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.littleEndianBase64;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EmbeddingOpenAiCodingTest {

  private static final float[] KNOWN = {1.0f, -2.5f, 0.1f};

  // --- canonical → upstream request ---

  @Test
  void theUpstreamRequestCarriesInputsAsAnArrayAndTheUpstreamModel() {
    EmbeddingRequest request = new EmbeddingRequest("client-name",
        List.of(new EmbeddingInput.Text("one"), new EmbeddingInput.Tokens(new int[] {7, 8})), null, false, null);

    JsonNode body = tree(OpenAiEmbeddings.encodeRequest(request, "text-embedding-3-large"));

    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-large");
    assertThat(body.get("input").toString()).isEqualTo("[\"one\",[7,8]]");
    assertThat(body.has("dimensions")).isFalse();
    assertThat(body.has("user")).isFalse();
  }

  @Test
  void aSingleInputStillTravelsAsAnArray() {
    EmbeddingRequest request = new EmbeddingRequest("m", List.of(new EmbeddingInput.Text("solo")), null, false, null);

    assertThat(tree(OpenAiEmbeddings.encodeRequest(request, "m")).get("input").toString()).isEqualTo("[\"solo\"]");
  }

  @Test
  void floatIsAskedOfTheUpstreamEvenWhenTheClientWantsBase64() {
    EmbeddingRequest request = new EmbeddingRequest("m", List.of(new EmbeddingInput.Text("a")), 512, true, "u-9");

    JsonNode body = tree(OpenAiEmbeddings.encodeRequest(request, "m"));

    assertThat(body.get("encoding_format").asText()).isEqualTo("float");
    assertThat(body.get("dimensions").intValue()).isEqualTo(512);
    assertThat(body.get("user").asText()).isEqualTo("u-9");
  }

  // --- upstream answer → canonical ---

  @Test
  void floatEmbeddingsAndPromptTokensAreRead() {
    EmbeddingResponse response = OpenAiEmbeddings.decodeResponse(json("""
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[1.0,-2.5,0.1]},
         {"object":"embedding","index":1,"embedding":[0,3]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}"""));

    assertThat(response.vectors()).containsExactly(KNOWN, new float[] {0f, 3f});
    assertThat(response.promptTokens()).isEqualTo(5);
  }

  @Test
  void base64EmbeddingsAreLittleEndianFloat32() {
    String base64 = littleEndianBase64(KNOWN);

    EmbeddingResponse response = OpenAiEmbeddings.decodeResponse(json(
        "{\"data\":[{\"index\":0,\"embedding\":\"" + base64 + "\"}],\"usage\":{\"prompt_tokens\":2}}"));

    assertThat(response.vectors().get(0)).containsExactly(KNOWN);
  }

  @Test
  void vectorsAreOrderedByIndexWhenTheUpstreamAnswersOutOfOrder() {
    EmbeddingResponse response = OpenAiEmbeddings.decodeResponse(json("""
        {"data":[{"index":2,"embedding":[2]},{"index":0,"embedding":[0]},{"index":1,"embedding":[1]}]}"""));

    assertThat(response.vectors()).containsExactly(new float[] {0}, new float[] {1}, new float[] {2});
  }

  @Test
  void anAnswerWithoutUsageHasNoPromptTokens() {
    EmbeddingResponse response = OpenAiEmbeddings.decodeResponse(json("{\"data\":[{\"embedding\":[0.5]}],\"usage\":null}"));

    assertThat(response.promptTokens()).isNull();
    assertThat(response.vectors()).containsExactly(new float[] {0.5f});
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "[]",
      "{\"object\":\"list\"}",
      "{\"data\":null}",
      "{\"data\":[{\"index\":0}]}",
      "{\"data\":[1,2]}",
      "{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}",
      "{\"data\":[{\"index\":1,\"embedding\":[1]}]}",
      "{\"data\":[{\"index\":-1,\"embedding\":[1]}]}",
      "{\"data\":[{\"index\":0,\"embedding\":[1,\"x\"]}]}",
      "{\"data\":[{\"index\":0,\"embedding\":{}}]}",
      "{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"}]}",
      "{\"data\":[{\"index\":0,\"embedding\":\"%%%\"}]}"})
  void aMalformedAnswerIsAnUpstreamError(String body) {
    GatewayError error = failure(() -> OpenAiEmbeddings.decodeResponse(json(body)));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.status()).isEqualTo(502);
    assertThat(error.message()).startsWith("the upstream answer");
  }

  @Test
  void anErrorInsideA200AnswerIsAnUpstreamErrorWithItsMessage() {
    GatewayError error = failure(() -> OpenAiEmbeddings.decodeResponse(json(
        "{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}")));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).isEqualTo("upstream error: model overloaded");
  }

  // --- canonical → client answer ---

  @Test
  void theClientAnswerHasOpenAisShapeWithIndexesInOrder() {
    EmbeddingResponse response = new EmbeddingResponse(List.of(KNOWN, new float[] {4f}), 9);

    JsonNode body = tree(OpenAiEmbeddings.encodeResponse(response, "text-embedding-3-small", false, 100));

    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(body.get("data")).hasSize(2);
    assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("embedding");
    assertThat(body.get("data").get(0).get("index").intValue()).isZero();
    assertThat(body.get("data").get(0).get("embedding").toString()).isEqualTo("[1.0,-2.5,0.1]");
    assertThat(body.get("data").get(1).get("index").intValue()).isEqualTo(1);
    assertThat(body.get("usage").toString()).isEqualTo("{\"prompt_tokens\":9,\"total_tokens\":9}");
  }

  @Test
  void theGatewaysCountIsReportedWhenTheUpstreamGaveNone() {
    EmbeddingResponse response = new EmbeddingResponse(List.<float[]>of(KNOWN), null);

    JsonNode body = tree(OpenAiEmbeddings.encodeResponse(response, "m", false, 42));

    assertThat(body.get("usage").toString()).isEqualTo("{\"prompt_tokens\":42,\"total_tokens\":42}");
  }

  @Test
  void base64AnswerIsExactlyTheLittleEndianFloat32OfTheVector() {
    EmbeddingResponse response = new EmbeddingResponse(List.<float[]>of(KNOWN), 3);

    JsonNode body = tree(OpenAiEmbeddings.encodeResponse(response, "m", true, 0));

    // [1.0f, -2.5f, 0.1f] = 0000803f 000020c0 cdcccc3d
    assertThat(body.get("data").get(0).get("embedding").asText())
        .isEqualTo(littleEndianBase64(KNOWN))
        .isEqualTo("AACAPwAAIMDNzMw9");
  }

  @Test
  void base64RoundTripsBitForBit() {
    float[] vector = {Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, 1.17549435E-38f, 0.33333334f, -1e-30f};
    EmbeddingResponse response = new EmbeddingResponse(List.of(vector, KNOWN), 1);

    EmbeddingResponse back = OpenAiEmbeddings.decodeResponse(OpenAiEmbeddings.encodeResponse(response, "m", true, 0));

    assertThat(back.vectors()).hasSize(2);
    for (int i = 0; i < vector.length; i++) {
      assertThat(Float.floatToRawIntBits(back.vectors().get(0)[i])).isEqualTo(Float.floatToRawIntBits(vector[i]));
    }
    assertThat(back).isEqualTo(response);
  }
}

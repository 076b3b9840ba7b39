package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.failure;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddingOpenAiRequestTest {

  private static EmbeddingRequest decode(String body) {
    return OpenAiEmbeddings.decodeRequest(json(body));
  }

  // --- the four input shapes ---

  @Test
  void aStringIsOneTextInput() {
    EmbeddingRequest request = decode("{\"model\":\"text-embedding-3-small\",\"input\":\"hello world\"}");

    assertThat(request.model()).isEqualTo("text-embedding-3-small");
    assertThat(request.inputs()).containsExactly(new EmbeddingInput.Text("hello world"));
    assertThat(request.dimensions()).isNull();
    assertThat(request.base64()).isFalse();
    assertThat(request.user()).isNull();
  }

  @Test
  void anArrayOfStringsIsOneInputPerStringInOrder() {
    EmbeddingRequest request = decode("{\"model\":\"m\",\"input\":[\"first\",\"second\",\" \"]}");

    assertThat(request.inputs()).containsExactly(
        new EmbeddingInput.Text("first"), new EmbeddingInput.Text("second"), new EmbeddingInput.Text(" "));
  }

  @Test
  void anArrayOfIntegersIsOneTokenInput() {
    EmbeddingRequest request = decode("{\"model\":\"m\",\"input\":[15339,1917,0]}");

    assertThat(request.inputs()).containsExactly(new EmbeddingInput.Tokens(new int[] {15339, 1917, 0}));
  }

  @Test
  void anArrayOfTokenArraysIsOneTokenInputPerArray() {
    EmbeddingRequest request = decode("{\"model\":\"m\",\"input\":[[1,2,3],[4],[5,6]]}");

    assertThat(request.inputs()).containsExactly(
        new EmbeddingInput.Tokens(new int[] {1, 2, 3}), new EmbeddingInput.Tokens(new int[] {4}),
        new EmbeddingInput.Tokens(new int[] {5, 6}));
  }

  @Test
  void base64DimensionsAndUserAreReadAndUnknownFieldsIgnored() {
    EmbeddingRequest request = decode(
        "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"base64\",\"dimensions\":256,\"user\":\"u-1\",\"future\":{}}");

    assertThat(request.base64()).isTrue();
    assertThat(request.dimensions()).isEqualTo(256);
    assertThat(request.user()).isEqualTo("u-1");
  }

  @Test
  void floatEncodingAndNullsMeanTheDefaults() {
    EmbeddingRequest explicitFloat = decode("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"float\"}");
    EmbeddingRequest nulls = decode(
        "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":null,\"dimensions\":null,\"user\":null}");

    assertThat(explicitFloat.base64()).isFalse();
    assertThat(nulls.base64()).isFalse();
    assertThat(nulls.dimensions()).isNull();
    assertThat(nulls.user()).isNull();
  }

  @Test
  void aLeadingUtf8BomIsSkipped() {
    byte[] body = json("\uFEFF{\"model\":\"m\",\"input\":\"a\"}");

    assertThat(OpenAiEmbeddings.decodeRequest(body).inputs()).containsExactly(new EmbeddingInput.Text("a"));
  }

  // --- limits ---

  @Test
  void exactly2048InputsAreAccepted() {
    EmbeddingRequest request = decode("{\"model\":\"m\",\"input\":" + strings(2048) + "}");

    assertThat(request.inputs()).hasSize(2048);
    assertThat(request.inputs().get(2047)).isEqualTo(new EmbeddingInput.Text("t2047"));
  }

  @Test
  void inputs2049AreRefusedWithTheCountAndTheLimit() {
    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"input\":" + strings(2049) + "}"));

    assertThat(error.param()).isEqualTo("input");
    assertThat(error.message()).contains("2049").contains("2048");
  }

  @Test
  void theInputLimitCountsInputsNotTheIdsOfOneTokenArray() {
    String ids = IntStream.range(0, 5000).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));

    EmbeddingRequest request = decode("{\"model\":\"m\",\"input\":" + ids + "}");

    assertThat(request.inputs()).hasSize(1);
    assertThat(((EmbeddingInput.Tokens) request.inputs().get(0)).length()).isEqualTo(5000);
  }

  // --- refusals: each a 400 naming the field ---

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("{", null, "not valid JSON"),
        Arguments.of("[{\"model\":\"m\",\"input\":\"a\"}]", null, "must be a JSON object"),
        Arguments.of("\"text\"", null, "must be a JSON object"),
        Arguments.of("{\"input\":\"a\"}", "model", "'model' is required"),
        Arguments.of("{\"model\":null,\"input\":\"a\"}", "model", "'model' is required"),
        Arguments.of("{\"model\":\"  \",\"input\":\"a\"}", "model", "must not be blank"),
        Arguments.of("{\"model\":7,\"input\":\"a\"}", "model", "must be a string"),
        Arguments.of("{\"model\":\"m\"}", "input", "'input' is required"),
        Arguments.of("{\"model\":\"m\",\"input\":null}", "input", "'input' is required"),
        Arguments.of("{\"model\":\"m\",\"input\":\"\"}", "input", "must not be an empty string"),
        Arguments.of("{\"model\":\"m\",\"input\":[]}", "input", "must not be an empty array"),
        Arguments.of("{\"model\":\"m\",\"input\":5}", "input", "an array of token arrays"),
        Arguments.of("{\"model\":\"m\",\"input\":true}", "input", "an array of token arrays"),
        Arguments.of("{\"model\":\"m\",\"input\":{\"text\":\"a\"}}", "input", "an array of token arrays"),
        Arguments.of("{\"model\":\"m\",\"input\":[[]]}", "input[0]", "must not be an empty token array"),
        Arguments.of("{\"model\":\"m\",\"input\":[[1],[]]}", "input[1]", "must not be an empty token array"),
        Arguments.of("{\"model\":\"m\",\"input\":[\"a\",\"\"]}", "input[1]", "must not be an empty string"),
        Arguments.of("{\"model\":\"m\",\"input\":[1,\"a\"]}", "input[1]", "must be a token id (an integer of 0 or more), not a string"),
        Arguments.of("{\"model\":\"m\",\"input\":[\"a\",1]}", "input[1]", "must be a string, like input[0], not an integer"),
        Arguments.of("{\"model\":\"m\",\"input\":[\"a\",[1]]}", "input[1]", "must be a string, like input[0], not an array"),
        Arguments.of("{\"model\":\"m\",\"input\":[[1],\"a\"]}", "input[1]", "must be an array of token ids, like input[0], not a string"),
        Arguments.of("{\"model\":\"m\",\"input\":[[1],[2,\"x\"]]}", "input[1][1]", "must be a token id"),
        Arguments.of("{\"model\":\"m\",\"input\":[[1],[2,0.5]]}", "input[1][1]", "not a fractional number"),
        Arguments.of("{\"model\":\"m\",\"input\":[{\"text\":\"a\"}]}", "input[0]", "not an object"),
        Arguments.of("{\"model\":\"m\",\"input\":[null]}", "input[0]", "not null"),
        Arguments.of("{\"model\":\"m\",\"input\":[\"a\",null]}", "input[1]", "not null"),
        Arguments.of("{\"model\":\"m\",\"input\":[true]}", "input[0]", "not a boolean"),
        Arguments.of("{\"model\":\"m\",\"input\":[1.5]}", "input[0]", "not a fractional number"),
        Arguments.of("{\"model\":\"m\",\"input\":[1,2.5]}", "input[1]", "not a fractional number"),
        Arguments.of("{\"model\":\"m\",\"input\":[3,-1]}", "input[1]", "not a negative number"),
        Arguments.of("{\"model\":\"m\",\"input\":[3000000000]}", "input[0]", "not an integer that large"),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"int8\"}", "encoding_format", "\"float\" or \"base64\""),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":1}", "encoding_format", "\"float\" or \"base64\""),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":0}", "dimensions", "must be a positive integer, not 0"),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":-256}", "dimensions", "must be a positive integer, not -256"),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":1.5}", "dimensions", "not a fractional number"),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":\"256\"}", "dimensions", "not a string"),
        Arguments.of("{\"model\":\"m\",\"input\":\"a\",\"user\":5}", "user", "'user' must be a string"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("badRequests")
  void aBadRequestIsA400NamingTheFieldAtFault(String body, String param, String message) {
    GatewayError error = failure(() -> decode(body));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).contains(message);
  }

  @Test
  void aRefusalNeverQuotesTheClientsText() {
    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"input\":[\"my secret text\",42]}"));

    assertThat(error.message()).doesNotContain("secret");
  }

  // --- token estimates ---

  @Test
  void inputTextJoinsTheTextsAndTokenCountCountsTheIds() {
    EmbeddingRequest texts = decode("{\"model\":\"m\",\"input\":[\"one\",\"two\"]}");
    EmbeddingRequest tokens = decode("{\"model\":\"m\",\"input\":[[1,2,3],[4,5]]}");

    assertThat(OpenAiEmbeddings.inputText(texts)).isEqualTo("one\ntwo");
    assertThat(OpenAiEmbeddings.tokenCount(texts)).isZero();
    assertThat(OpenAiEmbeddings.inputText(tokens)).isEmpty();
    assertThat(OpenAiEmbeddings.tokenCount(tokens)).isEqualTo(5);
  }

  private static String strings(int count) {
    return IntStream.range(0, count).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void tokensAreImmutableAndCompareByContent() {
    int[] ids = {1, 2};
    EmbeddingInput.Tokens tokens = new EmbeddingInput.Tokens(ids);
    ids[0] = 99;
    tokens.tokens()[1] = 99;

    assertThat(tokens).isEqualTo(new EmbeddingInput.Tokens(new int[] {1, 2})).hasSameHashCodeAs(new EmbeddingInput.Tokens(new int[] {1, 2}));
    assertThat(tokens).isNotEqualTo(new EmbeddingInput.Tokens(new int[] {1, 3}));
    assertThat(List.of(tokens.tokens()[0], tokens.tokens()[1])).containsExactly(1, 2);
  }
}

package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.failure;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddingGeminiRequestTest {

  private static EmbeddingRequest embed(String body) {
    return GeminiEmbeddings.decodeEmbedContent("gemini-embedding-001", json(body));
  }

  private static EmbeddingRequest batch(String body) {
    return GeminiEmbeddings.decodeBatchEmbedContents("gemini-embedding-001", json(body));
  }

  // --- :embedContent ---

  @Test
  void oneTextPartIsOneInputWithThePathsModel() {
    EmbeddingRequest request = embed("""
        {"model":"models/something-else","content":{"parts":[{"text":"hello"}]},
         "taskType":"RETRIEVAL_QUERY","title":"greeting","outputDimensionality":768}""");

    assertThat(request.model()).isEqualTo("gemini-embedding-001");
    assertThat(request.inputs()).containsExactly(new EmbeddingInput.Text("hello"));
    assertThat(request.dimensions()).isEqualTo(768);
    assertThat(request.base64()).isFalse();
  }

  @Test
  void thePartsOfOneContentAreJoinedIntoOneInputAsGeminiEmbedsThemAsOneVector() {
    EmbeddingRequest request = embed("{\"content\":{\"role\":\"user\",\"parts\":[{\"text\":\"line one\"},{\"text\":\"line two\"}]}}");

    assertThat(request.inputs()).containsExactly(new EmbeddingInput.Text("line one\nline two"));
    assertThat(request.dimensions()).isNull();
  }

  @Test
  void theModelsPrefixOfThePathIsStripped() {
    EmbeddingRequest request = GeminiEmbeddings.decodeEmbedContent("models/text-embedding-004", json("{\"content\":{\"parts\":[{\"text\":\"a\"}]}}"));

    assertThat(request.model()).isEqualTo("text-embedding-004");
  }

  @Test
  void snakeCaseFieldsAreReadAsGeminiAcceptsThem() {
    EmbeddingRequest request = embed("{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"output_dimensionality\":256}");

    assertThat(request.dimensions()).isEqualTo(256);
  }

  // --- :batchEmbedContents ---

  @Test
  void eachBatchRequestIsOneInputInOrder() {
    EmbeddingRequest request = batch("""
        {"requests":[
          {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"first"}]},"outputDimensionality":128},
          {"model":"gemini-embedding-001","content":{"parts":[{"text":"second"},{"text":"more"}]},"outputDimensionality":128},
          {"content":{"parts":[{"text":"third"}]},"outputDimensionality":128,"taskType":"CLUSTERING"}]}""");

    assertThat(request.model()).isEqualTo("gemini-embedding-001");
    assertThat(request.inputs()).containsExactly(
        new EmbeddingInput.Text("first"), new EmbeddingInput.Text("second\nmore"), new EmbeddingInput.Text("third"));
    assertThat(request.dimensions()).isEqualTo(128);
  }

  @Test
  void aBatchWithoutDimensionsAsksTheModelsOwnSize() {
    EmbeddingRequest request = batch("{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}},{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}");

    assertThat(request.dimensions()).isNull();
    assertThat(request.inputs()).hasSize(2);
  }

  // --- refusals ---

  static Stream<Arguments> badEmbedContents() {
    return Stream.of(
        Arguments.of("{", null, "not valid JSON"),
        Arguments.of("[]", null, "must be a JSON object"),
        Arguments.of("{}", "content", "'content' is required"),
        Arguments.of("{\"content\":null}", "content", "'content' is required"),
        Arguments.of("{\"content\":\"hello\"}", "content", "must be an object"),
        Arguments.of("{\"content\":{}}", "content.parts", "non-empty array of text parts"),
        Arguments.of("{\"content\":{\"parts\":[]}}", "content.parts", "non-empty array of text parts"),
        Arguments.of("{\"content\":{\"parts\":{\"text\":\"a\"}}}", "content.parts", "non-empty array of text parts"),
        Arguments.of("{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AA==\"}}]}}",
            "content.parts[0]", "only text can be embedded"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":\"a\"},{\"fileData\":{\"fileUri\":\"gs://x\"}}]}}",
            "content.parts[1]", "only text can be embedded"),
        Arguments.of("{\"content\":{\"parts\":[\"a\"]}}", "content.parts[0]", "must be a text part"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":5}]}}", "content.parts[0]", "must be a text part"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":\"\"}]}}", "content.parts[0].text", "must not be empty"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":0}", "outputDimensionality", "positive integer"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":1.5}", "outputDimensionality", "positive integer"),
        Arguments.of("{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":\"768\"}", "outputDimensionality", "positive integer"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("badEmbedContents")
  void aBadEmbedContentIsA400NamingTheField(String body, String param, String message) {
    assertInvalid(failure(() -> embed(body)), param, message);
  }

  static Stream<Arguments> badBatches() {
    String ok = "{\"content\":{\"parts\":[{\"text\":\"a\"}]}}";
    return Stream.of(
        Arguments.of("{}", "requests", "non-empty array"),
        Arguments.of("{\"requests\":[]}", "requests", "non-empty array"),
        Arguments.of("{\"requests\":{}}", "requests", "non-empty array"),
        Arguments.of("{\"requests\":[" + ok + ",5]}", "requests[1]", "must be an object"),
        Arguments.of("{\"requests\":[" + ok + ",{}]}", "requests[1].content", "is required"),
        Arguments.of("{\"requests\":[" + ok + ",{\"content\":{\"parts\":[{\"text\":\"\"}]}}]}", "requests[1].content.parts[0].text", "must not be empty"),
        Arguments.of("{\"requests\":[{\"model\":\"models/other\",\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}",
            "requests[0].model", "must be \"models/gemini-embedding-001\""),
        Arguments.of("{\"requests\":[{\"model\":3,\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}", "requests[0].model", "the model of the path"),
        Arguments.of("{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":128},"
            + "{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"outputDimensionality\":256}]}",
            "requests[1].outputDimensionality", "is 256 but in requests[0] it is 128"),
        Arguments.of("{\"requests\":[" + ok + ",{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"outputDimensionality\":256}]}",
            "requests[1].outputDimensionality", "is 256 but in requests[0] it is not set"),
        Arguments.of("{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"outputDimensionality\":-1}]}",
            "requests[0].outputDimensionality", "positive integer"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("badBatches")
  void aBadBatchIsA400NamingTheField(String body, String param, String message) {
    assertInvalid(failure(() -> batch(body)), param, message);
  }

  @Test
  void aBatchOfMoreThan2048RequestsIsRefused() {
    String one = "{\"content\":{\"parts\":[{\"text\":\"a\"}]}},";
    String body = "{\"requests\":[" + one.repeat(2048) + "{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}";

    assertInvalid(failure(() -> batch(body)), "requests", "2049");
  }

  @Test
  void aBlankPathModelIsRefused() {
    assertInvalid(failure(() -> GeminiEmbeddings.decodeEmbedContent("models/", json("{\"content\":{\"parts\":[{\"text\":\"a\"}]}}"))),
        "model", "give it in the path");
  }

  private static void assertInvalid(GatewayError error, String param, String message) {
    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).contains(message);
  }
}

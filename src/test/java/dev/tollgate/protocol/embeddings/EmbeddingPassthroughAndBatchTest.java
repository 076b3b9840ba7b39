package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.failure;
import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gemini's 100-request batch cap, answers of slices put together, and Gemini-to-Gemini body edits. */
class EmbeddingPassthroughAndBatchTest {

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static EmbeddingRequest texts(int count) {
    List<EmbeddingInput> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inputs.add(new EmbeddingInput.Text("t" + i));
    }
    return new EmbeddingRequest("m", inputs, 8, false, null);
  }

  @Test
  void upToOneHundredInputsTravelInOneBatch() {
    assertThat(GeminiEmbeddings.encodeBatchRequests(texts(100), "g")).hasSize(1);
  }

  @Test
  void moreThanOneHundredInputsAreSplitInOrderIntoBatchesOfOneHundred() {
    List<byte[]> bodies = GeminiEmbeddings.encodeBatchRequests(texts(250), "gemini-embedding-001");

    assertThat(bodies).hasSize(3);
    assertThat(bodies.stream().map(b -> tree(b).get("requests").size())).containsExactly(100, 100, 50);
    JsonNode third = tree(bodies.get(2)).get("requests");
    assertThat(third.get(0).at("/content/parts/0/text").textValue()).isEqualTo("t200");
    assertThat(third.get(49).at("/content/parts/0/text").textValue()).isEqualTo("t249");
    assertThat(third.get(0).get("outputDimensionality").intValue()).isEqualTo(8);
    assertThat(third.get(0).get("model").textValue()).isEqualTo("models/gemini-embedding-001");
  }

  @Test
  void aTokenArrayInALaterSliceIsNamedByItsIndexInTheClientsRequest() {
    List<EmbeddingInput> inputs = new ArrayList<>(texts(150).inputs());
    inputs.set(120, new EmbeddingInput.Tokens(new int[] {1, 2}));

    var failure = failure(() -> GeminiEmbeddings.encodeBatchRequests(new EmbeddingRequest("m", inputs, null, false, null), "g"));

    assertThat(failure.param()).isEqualTo("input[120]");
  }

  @Test
  void slicesAnswersConcatenateInOrderWithTokensOnlyWhenEverySliceCounted() {
    EmbeddingResponse first = new EmbeddingResponse(List.of(new float[] {1}, new float[] {2}), 3);
    EmbeddingResponse second = new EmbeddingResponse(List.of(new float[] {3}), 4);
    EmbeddingResponse uncounted = new EmbeddingResponse(List.of(new float[] {4}), null);

    EmbeddingResponse both = EmbeddingResponse.concat(List.of(first, second));
    assertThat(both.vectors()).containsExactly(new float[] {1}, new float[] {2}, new float[] {3});
    assertThat(both.promptTokens()).isEqualTo(7);
    assertThat(EmbeddingResponse.concat(List.of(first, uncounted)).promptTokens()).isNull();
    assertThat(EmbeddingResponse.concat(List.of(first))).isSameAs(first);
  }

  @Test
  void anEmbedContentBodyTravelsAsABatchOfOneKeepingFieldsTheGatewayDoesNotRead() {
    byte[] body = bytes("{\"content\":{\"parts\":[{\"text\":\"hi\"}]},\"taskType\":\"RETRIEVAL_QUERY\","
        + "\"title\":\"T\",\"outputDimensionality\":3}");

    JsonNode batch = tree(GeminiEmbeddingPassthrough.batchOfOne(body, "models/upstream-embed"));

    assertThat(batch.get("requests")).hasSize(1);
    JsonNode request = batch.get("requests").get(0);
    assertThat(request.get("model").textValue()).isEqualTo("models/upstream-embed");
    assertThat(request.get("taskType").textValue()).isEqualTo("RETRIEVAL_QUERY");
    assertThat(request.get("title").textValue()).isEqualTo("T");
    assertThat(request.get("outputDimensionality").intValue()).isEqualTo(3);
    assertThat(request.at("/content/parts/0/text").textValue()).isEqualTo("hi");
  }

  @Test
  void aBatchForTheSameModelNameIsPassedOnAsTheSameBytes() {
    byte[] body = bytes("{\"requests\":[{\"model\":\"models/e\",\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}");

    assertThat(GeminiEmbeddingPassthrough.renamed(body, "e", "models/e")).isSameAs(body);
  }

  @Test
  void aBatchForAMappedModelHasEveryRequestRenamedAndTheRestKept() {
    byte[] body = bytes("{\"requests\":[{\"model\":\"models/e\",\"content\":{\"parts\":[{\"text\":\"a\"}]},\"taskType\":\"CLUSTERING\"},"
        + "{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}");

    JsonNode renamed = tree(GeminiEmbeddingPassthrough.renamed(body, "e", "upstream-e"));

    assertThat(renamed.at("/requests/0/model").textValue()).isEqualTo("models/upstream-e");
    assertThat(renamed.at("/requests/1/model").textValue()).isEqualTo("models/upstream-e");
    assertThat(renamed.at("/requests/0/taskType").textValue()).isEqualTo("CLUSTERING");
    assertThat(renamed.at("/requests/1/content/parts/0/text").textValue()).isEqualTo("b");
  }

  @Test
  void theFirstEmbeddingOfABatchAnswerIsUnwrappedWithItsBytesUntouched() {
    String embedding = "{\"values\": [0.0123456789012, -1E-7, 3]}";
    byte[] answer = bytes("{\"other\":{\"x\":[1]},\"embeddings\": [" + embedding + "]}");

    assertThat(new String(GeminiEmbeddingPassthrough.firstOfBatch(answer), StandardCharsets.UTF_8))
        .isEqualTo("{\"embedding\":" + embedding + "}");
  }

  @Test
  void unwrappingCountsFromAfterAByteOrderMark() {
    String embedding = "{\"values\":[0.5]}";
    byte[] text = bytes("{\"embeddings\":[" + embedding + "]}");
    byte[] answer = new byte[text.length + 3];
    answer[0] = (byte) 0xEF;
    answer[1] = (byte) 0xBB;
    answer[2] = (byte) 0xBF;
    System.arraycopy(text, 0, answer, 3, text.length);

    assertThat(new String(GeminiEmbeddingPassthrough.firstOfBatch(answer), StandardCharsets.UTF_8))
        .isEqualTo("{\"embedding\":" + embedding + "}");
  }

  @Test
  void anAnswerWithoutEmbeddingsIsTheUpstreamsFault() {
    assertThat(failure(() -> GeminiEmbeddingPassthrough.firstOfBatch(bytes("{\"embeddings\":[]}"))).code())
        .isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(failure(() -> GeminiEmbeddingPassthrough.firstOfBatch(bytes("not json"))).code())
        .isEqualTo(ErrorCode.UPSTREAM_ERROR);
  }
}

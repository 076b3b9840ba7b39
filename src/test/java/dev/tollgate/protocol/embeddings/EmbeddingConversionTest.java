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
import org.junit.jupiter.api.Test;

/** A client of one protocol served by a channel of the other, through the canonical model. */
class EmbeddingConversionTest {

  @Test
  void anOpenAiClientServedByGeminiKeepsOrderDimensionsAndGetsBase64() {
    EmbeddingRequest asked = OpenAiEmbeddings.decodeRequest(json(
        "{\"model\":\"embed-large\",\"input\":[\"alpha\",\"beta\",\"gamma\"],\"dimensions\":256,\"encoding_format\":\"base64\"}"));

    byte[] upstreamBody = GeminiEmbeddings.encodeBatchRequest(asked, "gemini-embedding-001");
    // What Gemini would read from that body is what the client asked.
    EmbeddingRequest asGeminiReadsIt = GeminiEmbeddings.decodeBatchEmbedContents("gemini-embedding-001", upstreamBody);
    assertThat(asGeminiReadsIt.inputs()).isEqualTo(asked.inputs());
    assertThat(asGeminiReadsIt.dimensions()).isEqualTo(256);

    EmbeddingResponse answer = GeminiEmbeddings.decodeBatchResponse(json(
        "{\"embeddings\":[{\"values\":[1.0,-2.5,0.1]},{\"values\":[2,0]},{\"values\":[3,0.5]}]}"))
        .requireOnePerInput(asked);
    JsonNode toClient = tree(OpenAiEmbeddings.encodeResponse(answer, asked.model(), asked.base64(), 3));

    assertThat(toClient.get("model").asText()).isEqualTo("embed-large");
    assertThat(toClient.get("data").get(0).get("embedding").asText()).isEqualTo(littleEndianBase64(1.0f, -2.5f, 0.1f));
    assertThat(toClient.get("data").get(2).get("index").intValue()).isEqualTo(2);
    assertThat(toClient.get("usage").get("prompt_tokens").intValue()).isEqualTo(3);
    EmbeddingResponse asTheSdkReadsIt = OpenAiEmbeddings.decodeResponse(OpenAiEmbeddings.encodeResponse(answer, "m", true, 3));
    assertThat(asTheSdkReadsIt.vectors()).containsExactly(new float[] {1.0f, -2.5f, 0.1f}, new float[] {2, 0}, new float[] {3, 0.5f});
  }

  @Test
  void aGeminiBatchClientServedByOpenAiKeepsOrderAndDimensions() {
    EmbeddingRequest asked = GeminiEmbeddings.decodeBatchEmbedContents("text-embedding-3-small", json("""
        {"requests":[
          {"model":"models/text-embedding-3-small","content":{"parts":[{"text":"one"}]},"outputDimensionality":64},
          {"model":"models/text-embedding-3-small","content":{"parts":[{"text":"two"}]},"outputDimensionality":64}]}"""));

    byte[] upstreamBody = OpenAiEmbeddings.encodeRequest(asked, "text-embedding-3-small");
    EmbeddingRequest asOpenAiReadsIt = OpenAiEmbeddings.decodeRequest(upstreamBody);
    assertThat(asOpenAiReadsIt.inputs()).containsExactly(new EmbeddingInput.Text("one"), new EmbeddingInput.Text("two"));
    assertThat(asOpenAiReadsIt.dimensions()).isEqualTo(64);
    assertThat(asOpenAiReadsIt.base64()).isFalse();

    // The upstream answers out of order; the Gemini client must get request order.
    EmbeddingResponse answer = OpenAiEmbeddings.decodeResponse(json("""
        {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.2,0.3]},
         {"object":"embedding","index":0,"embedding":[0.1,-0.1]}],"usage":{"prompt_tokens":2,"total_tokens":2}}"""))
        .requireOnePerInput(asked);
    EmbeddingResponse asTheClientReadsIt = GeminiEmbeddings.decodeBatchResponse(GeminiEmbeddings.encodeBatchResponse(answer));

    assertThat(asTheClientReadsIt.vectors()).containsExactly(new float[] {0.1f, -0.1f}, new float[] {0.2f, 0.3f});
    assertThat(answer.promptTokens()).isEqualTo(2);
  }

  @Test
  void aGeminiEmbedContentClientServedByOpenAiGetsOneEmbedding() {
    EmbeddingRequest asked = GeminiEmbeddings.decodeEmbedContent("text-embedding-3-small",
        json("{\"content\":{\"parts\":[{\"text\":\"title\"},{\"text\":\"body\"}]},\"outputDimensionality\":3}"));

    assertThat(tree(OpenAiEmbeddings.encodeRequest(asked, "text-embedding-3-small")).get("input").toString())
        .isEqualTo("[\"title\\nbody\"]");
    EmbeddingResponse answer = OpenAiEmbeddings.decodeResponse(json("{\"data\":[{\"index\":0,\"embedding\":[0.5,0.25,-1]}]}"))
        .requireOnePerInput(asked);

    assertThat(tree(GeminiEmbeddings.encodeEmbedContentResponse(answer)).toString())
        .isEqualTo("{\"embedding\":{\"values\":[0.5,0.25,-1.0]}}");
  }

  @Test
  void anUpstreamAnsweringAnotherCountThanAskedIsAnUpstreamError() {
    EmbeddingRequest asked = OpenAiEmbeddings.decodeRequest(json("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}"));
    EmbeddingResponse answer = GeminiEmbeddings.decodeBatchResponse(json("{\"embeddings\":[{\"values\":[1]}]}"));

    GatewayError error = failure(() -> answer.requireOnePerInput(asked));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).isEqualTo("the upstream answered 1 embeddings for 2 inputs");
  }

  @Test
  void anOpenAiTokenArrayClientCannotBeServedByGemini() {
    EmbeddingRequest asked = OpenAiEmbeddings.decodeRequest(json("{\"model\":\"m\",\"input\":[[100,200],[300]]}"));

    GatewayError error = failure(() -> GeminiEmbeddings.encodeBatchRequest(asked, "gemini-embedding-001"));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.param()).isEqualTo("input[0]");
    assertThat(error.message()).contains("OpenAI-format channel");
    assertThat(List.of(OpenAiEmbeddings.tokenCount(asked))).containsExactly(3);
  }
}

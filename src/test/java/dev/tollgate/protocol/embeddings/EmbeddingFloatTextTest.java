package dev.tollgate.protocol.embeddings;

import static dev.tollgate.protocol.embeddings.EmbeddingFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Floats printed as JSON text must read back as the same float32, in both protocols' answers. */
class EmbeddingFloatTextTest {

  private static final float[] TRICKY = {
      0.1f, -0.0f, 0.0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-45f, 3.4028235e38f,
      16777217f, 0.33333334f, 2.0e-7f, 1.0e7f, -0.0023f, 0.0154f, 9.999999e-4f, 1.00000012f};

  @Test
  void everyPrintedFloatParsesBackToTheSameBits() {
    JsonNode values = tree(OpenAiEmbeddings.encodeResponse(new EmbeddingResponse(List.<float[]>of(TRICKY), 1), "m", false, 0))
        .get("data").get(0).get("embedding");

    assertThat(values).hasSize(TRICKY.length);
    for (int i = 0; i < TRICKY.length; i++) {
      float parsed = Float.parseFloat(values.get(i).asText());
      assertThat(Float.floatToRawIntBits(parsed)).as("value %s printed as %s", TRICKY[i], values.get(i).asText())
          .isEqualTo(Float.floatToRawIntBits(TRICKY[i]));
    }
  }

  @Test
  void floatsArePrintedShortNotAsWidenedDoubles() {
    String body = new String(GeminiEmbeddings.encodeEmbedContentResponse(
        new EmbeddingResponse(List.<float[]>of(new float[] {0.1f, -0.0023f}), null)), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(body).isEqualTo("{\"embedding\":{\"values\":[0.1,-0.0023]}}");
  }

  @Test
  void randomVectorsRoundTripExactlyThroughBothProtocolsText() {
    SplittableRandom random = new SplittableRandom(20240611);
    float[] vector = new float[4096];
    for (int i = 0; i < vector.length; i++) {
      // Every bit pattern that is a finite float: exponents from subnormal to huge.
      float value;
      do {
        value = Float.intBitsToFloat(random.nextInt());
      } while (!Float.isFinite(value));
      vector[i] = value;
    }
    EmbeddingResponse response = new EmbeddingResponse(List.<float[]>of(vector), 7);

    float[] viaOpenAi = OpenAiEmbeddings.decodeResponse(OpenAiEmbeddings.encodeResponse(response, "m", false, 0)).vectors().get(0);
    float[] viaGemini = GeminiEmbeddings.decodeBatchResponse(GeminiEmbeddings.encodeBatchResponse(response)).vectors().get(0);

    for (int i = 0; i < vector.length; i++) {
      assertThat(Float.floatToRawIntBits(viaOpenAi[i])).isEqualTo(Float.floatToRawIntBits(vector[i]));
      assertThat(Float.floatToRawIntBits(viaGemini[i])).isEqualTo(Float.floatToRawIntBits(vector[i]));
    }
  }
}

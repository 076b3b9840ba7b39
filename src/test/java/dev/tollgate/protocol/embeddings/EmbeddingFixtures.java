package dev.tollgate.protocol.embeddings;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.GatewayError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared helpers of the embeddings tests; independent of the code under test. */
final class EmbeddingFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddingFixtures() {}

  static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The error a call fails with, which must be a GatewayError.Failure. */
  static GatewayError failure(ThrowingCallable call) {
    GatewayError[] caught = new GatewayError[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(GatewayError.Failure.class, f -> caught[0] = f.error());
    return caught[0];
  }

  /** OpenAI's base64 form computed here by hand, not by the codec: little-endian float32 bytes. */
  static String littleEndianBase64(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}

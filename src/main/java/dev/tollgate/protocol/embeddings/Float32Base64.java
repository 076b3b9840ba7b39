package dev.tollgate.protocol.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** OpenAI's {@code encoding_format: "base64"}: the vector's float32 values, little-endian, in base64. */
final class Float32Base64 {

  private Float32Base64() {}

  static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** Throws IllegalArgumentException when the text is not base64 of whole float32 values. */
  static float[] decode(String base64) {
    byte[] raw = Base64.getDecoder().decode(base64);
    if (raw.length % Float.BYTES != 0) {
      throw new IllegalArgumentException(raw.length + " bytes are not a whole number of float32 values");
    }
    float[] vector = new float[raw.length / Float.BYTES];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }
}

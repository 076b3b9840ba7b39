package dev.tollgate.protocol.media;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.protocol.GatewayError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared helpers of the media tests; independent of the code under test. */
final class MediaFixtures {

  private MediaFixtures() {}

  static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  /** The error a call fails with, which must be a GatewayError.Failure. */
  static GatewayError failure(ThrowingCallable call) {
    GatewayError[] caught = new GatewayError[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(GatewayError.Failure.class, f -> caught[0] = f.error());
    return caught[0];
  }

  /** A multipart/form-data body built by hand, CRLF line breaks, as the SDKs write it. */
  static final class Form {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Form(String boundary) {
      this.boundary = boundary;
    }

    Form field(String name, String value) {
      return raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    }

    Form file(String name, String filename, String contentType, byte[] content) {
      raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n");
      out.writeBytes(content);
      return raw("\r\n");
    }

    Form raw(String text) {
      out.writeBytes(text.getBytes(UTF_8));
      return this;
    }

    byte[] close() {
      return raw("--" + boundary + "--\r\n").bytes();
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }
  }

  /** Little-endian bytes for RIFF headers. */
  static byte[] le32(long value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array();
  }

  static byte[] le16(int value) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array();
  }

  static byte[] be32(long value) {
    return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt((int) value).array();
  }
}

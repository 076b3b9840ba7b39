package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Renders a {@link GatewayError} as OpenAI error JSON: {@code {"error":{message,type,param,code}}}. */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  public static byte[] body(GatewayError error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = OpenAiUsage.JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeObjectFieldStart("error");
      json.writeStringField("message", error.message());
      json.writeStringField("type", type(error.code()));
      json.writeStringField("param", error.param());
      json.writeStringField("code", error.code().wireName());
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The error as the last event of a stream that has already started. */
  public static byte[] streamEvent(GatewayError error) {
    byte[] json = body(error);
    byte[] prefix = "data: ".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + json.length + 2];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(json, 0, out, prefix.length, json.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }

  /** OpenAI's error {@code type} vocabulary; SDKs pick exception classes by status, not type. */
  static String type(ErrorCode code) {
    return switch (code) {
      case INVALID_API_KEY -> "authentication_error";
      case QUOTA_EXCEEDED -> "insufficient_quota";
      case FORBIDDEN -> "permission_error";
      case RATE_LIMITED -> "rate_limit_error";
      case INVALID_REQUEST, NOT_FOUND, MODEL_NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_TOO_LARGE ->
          "invalid_request_error";
      case INTERNAL_ERROR, UPSTREAM_ERROR, NO_AVAILABLE_NODE, SHUTTING_DOWN, STORAGE_UNAVAILABLE,
          UPSTREAM_TIMEOUT ->
          "server_error";
    };
  }
}

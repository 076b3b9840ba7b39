package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.GeminiFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GeminiErrorsTest {

  private final GeminiCodec codec = new GeminiCodec();

  @ParameterizedTest
  @CsvSource({
      "INVALID_REQUEST, 400, INVALID_ARGUMENT", "REQUEST_TOO_LARGE, 400, INVALID_ARGUMENT",
      "INVALID_API_KEY, 401, UNAUTHENTICATED", "FORBIDDEN, 403, PERMISSION_DENIED",
      "NOT_FOUND, 404, NOT_FOUND", "MODEL_NOT_FOUND, 404, NOT_FOUND", "METHOD_NOT_ALLOWED, 405, UNIMPLEMENTED",
      "QUOTA_EXCEEDED, 429, RESOURCE_EXHAUSTED", "RATE_LIMITED, 429, RESOURCE_EXHAUSTED",
      "INTERNAL_ERROR, 500, INTERNAL", "UPSTREAM_ERROR, 500, INTERNAL",
      "NO_AVAILABLE_NODE, 503, UNAVAILABLE", "SHUTTING_DOWN, 503, UNAVAILABLE",
      "UPSTREAM_TIMEOUT, 504, DEADLINE_EXCEEDED"})
  void everyCodeHasGooglesStatusAndHttpCode(ErrorCode code, int status, String statusName) {
    GatewayError error = GatewayError.of(code, "m");

    JsonNode body = tree(codec.encodeError(error));

    assertThat(codec.status(error)).isEqualTo(status);
    assertThat(body).isEqualTo(tree("{\"error\":{\"code\":" + status + ",\"message\":\"m\",\"status\":\"" + statusName + "\"}}"));
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void theBodyCodeAlwaysEqualsTheHttpStatus(ErrorCode code) {
    GatewayError error = GatewayError.of(code, "m");

    assertThat(tree(codec.encodeError(error)).at("/error/code").intValue()).isEqualTo(codec.status(error));
  }

  @Test
  void aFieldAtFaultTravelsAsAFieldViolation() {
    GatewayError error = GatewayError.invalid("generationConfig.temperature", "'generationConfig.temperature' must be a number");

    JsonNode details = tree(codec.encodeError(error)).at("/error/details/0");

    assertThat(details.path("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
    assertThat(details.at("/fieldViolations/0/field").asText()).isEqualTo("generationConfig.temperature");
  }

  @Test
  void messagesWithQuotesNewlinesAndUnicodeStayValidJson() {
    String message = "bad \"value\"\nline two \\ héllo 🌍";

    assertThat(tree(codec.encodeError(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message))).at("/error/message").asText())
        .isEqualTo(message);
  }

  @Test
  void theCodecSpeaksGemini() {
    assertThat(codec.protocol()).isEqualTo(WireProtocol.GEMINI);
  }
}

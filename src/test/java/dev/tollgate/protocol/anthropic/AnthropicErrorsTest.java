package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AnthropicErrorsTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  @Test
  void bodyHasAnthropicErrorShape() {
    byte[] body = codec.encodeError(GatewayError.invalid("max_tokens", "max_tokens: Field required"));

    assertThat(tree(body)).isEqualTo(tree(
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}"));
  }

  @ParameterizedTest
  @CsvSource({
      "INVALID_REQUEST, invalid_request_error", "INVALID_API_KEY, authentication_error",
      "QUOTA_EXCEEDED, billing_error", "FORBIDDEN, permission_error", "NOT_FOUND, not_found_error",
      "MODEL_NOT_FOUND, not_found_error", "METHOD_NOT_ALLOWED, invalid_request_error",
      "REQUEST_TOO_LARGE, request_too_large", "RATE_LIMITED, rate_limit_error", "INTERNAL_ERROR, api_error",
      "UPSTREAM_ERROR, api_error", "NO_AVAILABLE_NODE, overloaded_error", "SHUTTING_DOWN, overloaded_error",
      "UPSTREAM_TIMEOUT, timeout_error"})
  void eachCodeHasItsAnthropicType(ErrorCode code, String type) {
    assertThat(tree(codec.encodeError(GatewayError.of(code, "m"))).get("error").get("type").asText()).isEqualTo(type);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void statusStaysTheGatewaysOwn(ErrorCode code) {
    assertThat(codec.status(GatewayError.of(code, "m"))).isEqualTo(code.status());
  }

  @Test
  void upstreamAuthenticationFailureIsNeverTheClientsKey() {
    GatewayError error = AnthropicErrors.fromUpstream(tree(
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
  }
}

package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.tollgate.sse.SseEvent;
import dev.tollgate.sse.SseReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OpenAiErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void bodyHasOpenAiErrorShape() throws IOException {
    JsonNode body = JSON.readTree(OpenAiErrors.body(GatewayError.invalid("temperature", "'temperature' must be a number")));

    assertThat(body.size()).isEqualTo(1);
    JsonNode error = body.get("error");
    assertThat(error.get("message").asText()).isEqualTo("'temperature' must be a number");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo("temperature");
    assertThat(error.get("code").asText()).isEqualTo(ErrorCode.INVALID_REQUEST.wireName());
  }

  @Test
  void absentParamIsJsonNull() throws IOException {
    JsonNode error = JSON.readTree(OpenAiErrors.body(GatewayError.of(ErrorCode.UPSTREAM_TIMEOUT, "slow"))).get("error");

    assertThat(error.has("param")).isTrue();
    assertThat(error.get("param").isNull()).isTrue();
    assertThat(error.get("type").asText()).isEqualTo("server_error");
  }

  @Test
  void messageWithQuotesNewlinesAndUnicodeStaysValidJson() throws IOException {
    String message = "bad \"value\"\nline two \\ héllo 🌍";

    JsonNode error = JSON.readTree(OpenAiErrors.body(GatewayError.of(ErrorCode.UPSTREAM_ERROR, message))).get("error");

    assertThat(error.get("message").asText()).isEqualTo(message);
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeHasAnOpenAiType(ErrorCode code) throws IOException {
    JsonNode error = JSON.readTree(OpenAiErrors.body(GatewayError.of(code, "m"))).get("error");

    assertThat(error.get("type").asText()).isNotBlank().endsWith(code == ErrorCode.QUOTA_EXCEEDED ? "quota" : "error");
    assertThat(error.get("code").asText()).isEqualTo(code.name().toLowerCase());
  }

  @Test
  void streamEventIsOneDataLineEndedByABlankLine() throws IOException {
    GatewayError error = GatewayError.of(ErrorCode.UPSTREAM_ERROR, "the upstream failed\nmid-answer");
    byte[] event = OpenAiErrors.streamEvent(error);

    String text = new String(event, UTF_8);
    assertThat(text).startsWith("data: {").endsWith("}\n\n");
    assertThat(text.substring(0, text.length() - 2)).doesNotContain("\n");

    List<SseEvent> parsed = new ArrayList<>();
    SseReader reader = new SseReader(parsed::add, 1 << 16);
    reader.feed(event);
    assertThat(reader.hasPartialEvent()).isFalse();
    assertThat(parsed).singleElement().satisfies(e ->
        assertThat(JSON.readTree(e.data())).isEqualTo(JSON.readTree(OpenAiErrors.body(error))));
  }
}

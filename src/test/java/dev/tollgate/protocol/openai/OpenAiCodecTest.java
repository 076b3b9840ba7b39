package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import org.junit.jupiter.api.Test;

class OpenAiCodecTest {

  @Test
  void speaksOpenAi() {
    assertThat(CODEC.protocol()).isEqualTo(WireProtocol.OPENAI);
  }

  @Test
  void errorsUseTheOpenAiErrorBody() {
    GatewayError error = GatewayError.invalid("max_tokens", "'max_tokens' must be at least 1");

    assertThat(CODEC.encodeError(error)).isEqualTo(OpenAiErrors.body(error));
  }

  @Test
  void errorStatusIsTheGatewayStatus() {
    assertThat(CODEC.status(GatewayError.of(ErrorCode.SHUTTING_DOWN, "bye"))).isEqualTo(503);
  }

  @Test
  void decodersAreFreshPerStream() {
    assertThat(CODEC.newStreamDecoder(CodecFixtures.ASKED)).isNotSameAs(CODEC.newStreamDecoder(CodecFixtures.ASKED));
  }
}

package dev.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.gemini.GeminiCodec;
import dev.tollgate.protocol.openai.OpenAiCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streamed requests for several choices cannot be converted; unstreamed ones keep their choices. */
class StreamedChoicesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ChatRequest request(Integer n, boolean stream) {
    return new ChatRequest("m", null, List.of(Message.text(Role.USER, "hi")), null, null, null, null, null, null, null,
        null, null, null, null, n, null, null, null, stream, null);
  }

  @Test
  void aStreamForSeveralChoicesIsRefusedByTheOpenAiAndGeminiEncodersNamingN() {
    for (ChatCodec codec : List.of(new OpenAiCodec(), new GeminiCodec())) {
      assertThatThrownBy(() -> codec.encodeRequest(request(2, true), "up"))
          .as(codec.protocol().name())
          .isInstanceOfSatisfying(GatewayError.Failure.class, failure -> {
            assertThat(failure.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(failure.error().param()).isEqualTo("n");
            assertThat(failure.error().message()).contains("cannot be streamed");
          });
    }
  }

  @Test
  void severalChoicesWithoutStreamingAndOneStreamedChoiceAreEncoded() throws Exception {
    assertThat(JSON.readTree(new OpenAiCodec().encodeRequest(request(2, false), "up").body()).path("n").asInt()).isEqualTo(2);
    assertThat(JSON.readTree(new GeminiCodec().encodeRequest(request(2, false), "up").body()).at("/generationConfig/candidateCount").asInt())
        .isEqualTo(2);
    assertThat(JSON.readTree(new OpenAiCodec().encodeRequest(request(1, true), "up").body()).path("n").asInt()).isEqualTo(1);
    assertThat(JSON.readTree(new GeminiCodec().encodeRequest(request(null, true), "up").body()).has("generationConfig")).isFalse();
  }
}

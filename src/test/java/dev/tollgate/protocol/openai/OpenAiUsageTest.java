package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiUsageTest {

  @Test
  void responseUsageIsReadWithCachedAndReasoningDetails() {
    String body = """
        {"id":"chatcmpl-9x","object":"chat.completion","model":"gpt-4o",
         "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"It is 18 °C.","usage":{"prompt_tokens":1}}}],
         "usage":{"prompt_tokens":120,"completion_tokens":9,"total_tokens":129,
           "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
           "completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":0,"accepted_prediction_tokens":0}},
         "system_fingerprint":"fp_abc"}
        """;

    assertThat(OpenAiUsage.readResponse(body.getBytes(UTF_8))).isEqualTo(new OpenAiUsage.ResponseFacts(true, new Usage(120, 9, 64, 4)));
  }

  @Test
  void missingDetailsAreZero() {
    String body = "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":null,\"completion_tokens_details\":null}}";

    assertThat(OpenAiUsage.readResponse(body.getBytes(UTF_8)).usage()).isEqualTo(new Usage(5, 2, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"id\":\"x\",\"choices\":[]}", "{\"usage\":null}"})
  void wellFormedBodyWithoutUsageHasNone(String body) {
    assertThat(OpenAiUsage.readResponse(body.getBytes(UTF_8))).isEqualTo(new OpenAiUsage.ResponseFacts(true, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "[]", "", "{\"usage\":{\"prompt_tokens\":1}", "{} trailing", "<html>502</html>"})
  void anythingButOneJsonObjectIsMalformed(String body) {
    assertThat(OpenAiUsage.readResponse(body.getBytes(UTF_8)).wellFormed()).isFalse();
  }

  @Test
  void stringsLargerThanJacksonsDefaultCapAreRead() {
    String image = "A".repeat(21 * 1024 * 1024);
    String body = "{\"data\":[{\"b64_json\":\"" + image + "\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":0}}";

    assertThat(OpenAiUsage.readResponse(body.getBytes(UTF_8)).usage()).isEqualTo(new Usage(7, 0, 0, 0));
  }
}

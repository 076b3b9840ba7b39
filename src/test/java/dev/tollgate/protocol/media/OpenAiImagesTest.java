package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.failure;
import static dev.tollgate.protocol.media.MediaFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiImagesTest {

  private static ImageRequest decode(String body) {
    return OpenAiImages.decodeGeneration(json(body));
  }

  @Test
  void everyFieldTheGatewayReadsIsRead() {
    ImageRequest request = decode("""
        {"model":"dall-e-3","prompt":"a lighthouse at dusk","n":1,"size":"1024x1792","quality":"hd",
         "response_format":"b64_json","style":"vivid","user":"u-1"}""");

    assertThat(request).isEqualTo(new ImageRequest("dall-e-3", "a lighthouse at dusk", 1, "1024x1792", "hd", "b64_json", false));
  }

  @Test
  void aBareRequestGetsOpenAisDefaults() {
    assertThat(decode("{\"prompt\":\"a cat\"}"))
        .isEqualTo(new ImageRequest("dall-e-2", "a cat", 1, null, null, null, false));
  }

  @Test
  void nullMeansNotGiven() {
    assertThat(decode("{\"model\":null,\"prompt\":\"p\",\"n\":null,\"size\":null,\"quality\":null,\"response_format\":null,\"stream\":null}"))
        .isEqualTo(new ImageRequest("dall-e-2", "p", 1, null, null, null, false));
  }

  @Test
  void nFrom1To10IsTaken() {
    assertThat(decode("{\"prompt\":\"p\",\"n\":10}").images()).isEqualTo(10);
    assertThat(decode("{\"prompt\":\"p\",\"n\":1}").images()).isEqualTo(1);
  }

  @Test
  void streamIsRead() {
    assertThat(decode("{\"model\":\"gpt-image-1\",\"prompt\":\"p\",\"stream\":true}").stream()).isTrue();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("{\"model\":\"m\"}", "prompt", "'prompt' is required"),
        Arguments.of("{\"prompt\":null}", "prompt", "'prompt' is required"),
        Arguments.of("{\"prompt\":\"\"}", "prompt", "'prompt' must not be empty"),
        Arguments.of("{\"prompt\":42}", "prompt", "'prompt' must be a string, not an integer"),
        Arguments.of("{\"prompt\":[\"a\"]}", "prompt", "'prompt' must be a string, not an array"),
        Arguments.of("{\"prompt\":\"p\",\"model\":7}", "model", "'model' must be a string, not an integer"),
        Arguments.of("{\"prompt\":\"p\",\"model\":\" \"}", "model", "'model' must not be blank"),
        Arguments.of("{\"prompt\":\"p\",\"n\":0}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":11}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":-1}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":2.5}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":\"2\"}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"n\":99999999999}", "n", "'n' must be an integer from 1 to 10"),
        Arguments.of("{\"prompt\":\"p\",\"size\":1024}", "size", "'size' must be a string, not an integer"),
        Arguments.of("{\"prompt\":\"p\",\"quality\":true}", "quality", "'quality' must be a string, not a boolean"),
        Arguments.of("{\"prompt\":\"p\",\"response_format\":\"png\"}", "response_format",
            "'response_format' must be \"url\" or \"b64_json\""),
        Arguments.of("{\"prompt\":\"p\",\"response_format\":1}", "response_format",
            "'response_format' must be \"url\" or \"b64_json\""),
        Arguments.of("{\"prompt\":\"p\",\"stream\":\"yes\"}", "stream", "'stream' must be true or false, not a string"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void aWrongFieldIsA400NamingIt(String body, String param, String message) {
    GatewayError error = failure(() -> decode(body));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).isEqualTo(message);
  }

  @Test
  void aBodyThatIsNoJsonObjectIsA400() {
    for (String body : new String[] {"[]", "\"prompt\"", "null", "{\"prompt\":", "", "{\"prompt\":\"p\"} {}"}) {
      GatewayError error = failure(() -> decode(body));
      assertThat(error.code()).as(body).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(error.param()).as(body).isNull();
    }
  }

  @Test
  void aByteOrderMarkIsSkipped() {
    byte[] body = ("\uFEFF{\"prompt\":\"p\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(OpenAiImages.decodeGeneration(body).prompt()).isEqualTo("p");
  }

  // --- price keys ---

  @Test
  void priceKeysGoFromMostSpecificToTheModel() {
    assertThat(OpenAiImages.priceKeys(decode("{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"size\":\"1024x1024\",\"quality\":\"hd\"}")))
        .containsExactly("dall-e-3@1024x1024@hd", "dall-e-3@1024x1024", "dall-e-3@hd", "dall-e-3");
  }

  @Test
  void priceKeysLeaveOutWhatWasNotAsked() {
    assertThat(OpenAiImages.priceKeys(decode("{\"model\":\"dall-e-2\",\"prompt\":\"p\",\"size\":\"512x512\"}")))
        .containsExactly("dall-e-2@512x512", "dall-e-2");
    assertThat(OpenAiImages.priceKeys(decode("{\"model\":\"gpt-image-1\",\"prompt\":\"p\",\"quality\":\"low\"}")))
        .containsExactly("gpt-image-1@low", "gpt-image-1");
    assertThat(OpenAiImages.priceKeys(decode("{\"prompt\":\"p\"}"))).containsExactly("dall-e-2");
  }
}

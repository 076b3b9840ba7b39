package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.failure;
import static dev.tollgate.protocol.media.MediaFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageAnswerTest {

  @Test
  void urlImagesAreCounted() {
    ImageAnswer answer = OpenAiImages.countImages(json("""
        {"created":1713833628,"data":[{"url":"https://x/1.png","revised_prompt":"r"},{"url":"https://x/2.png"}]}"""));

    assertThat(answer).isEqualTo(new ImageAnswer(2, null, null));
  }

  @Test
  void gptImageUsageIsRead() {
    ImageAnswer answer = OpenAiImages.countImages(json("""
        {"created":1,"background":"opaque","data":[{"b64_json":"iVBORw0KGgo="}],"output_format":"png",
         "usage":{"input_tokens":50,"input_tokens_details":{"image_tokens":40,"text_tokens":10},
                  "output_tokens":4160,"total_tokens":4210}}"""));

    assertThat(answer).isEqualTo(new ImageAnswer(1, 50, 4160));
  }

  @Test
  void usageBeforeDataIsReadToo() {
    assertThat(OpenAiImages.countImages(json("{\"usage\":{\"output_tokens\":7},\"data\":[{},{},{}]}")))
        .isEqualTo(new ImageAnswer(3, null, 7));
  }

  @Test
  void anEmptyDataArrayIsZeroImages() {
    assertThat(OpenAiImages.countImages(json("{\"data\":[]}")).images()).isZero();
  }

  @Test
  void malformedUsageIsIgnoredNotFatal() {
    assertThat(OpenAiImages.countImages(json(
        "{\"data\":[{}],\"usage\":{\"input_tokens\":{\"x\":1},\"output_tokens\":\"9\",\"total_tokens\":[1]}}")))
        .isEqualTo(new ImageAnswer(1, null, null));
    assertThat(OpenAiImages.countImages(json("{\"data\":[{}],\"usage\":[1,2]}"))).isEqualTo(new ImageAnswer(1, null, null));
    assertThat(OpenAiImages.countImages(json("{\"data\":[{}],\"usage\":{\"input_tokens\":99999999999}}")))
        .isEqualTo(new ImageAnswer(1, null, null));
  }

  @Test
  void severalMegabytesOfBase64AreSteppedOver() {
    char[] image = new char[8 * 1024 * 1024];
    Arrays.fill(image, 'A');
    String big = new String(image);
    byte[] answer = ("{\"data\":[{\"b64_json\":\"" + big + "\"},{\"b64_json\":\"" + big + "\"}],"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}").getBytes(StandardCharsets.US_ASCII);

    assertThat(OpenAiImages.countImages(answer)).isEqualTo(new ImageAnswer(2, 1, 2));
  }

  @Test
  void anAnswerWithoutADataArrayIsA502() {
    for (String body : new String[] {"{}", "{\"data\":null}", "{\"data\":{\"url\":\"u\"}}", "{\"data\":\"x\"}",
        "[]", "\"data\"", "{\"data\":[", "not json", ""}) {
      GatewayError error = failure(() -> OpenAiImages.countImages(json(body)));
      assertThat(error.code()).as(body).isEqualTo(ErrorCode.UPSTREAM_ERROR);
      assertThat(error.status()).isEqualTo(502);
    }
  }

  @Test
  void anErrorInsideA200IsA502CarryingItsMessage() {
    GatewayError error = failure(() -> OpenAiImages.countImages(json(
        "{\"error\":{\"message\":\"Your request was rejected by the safety system.\",\"type\":\"image_generation_user_error\"}}")));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).isEqualTo("upstream error: Your request was rejected by the safety system.");
  }

  @Test
  void aNullErrorIsNoError() {
    assertThat(OpenAiImages.countImages(json("{\"error\":null,\"data\":[{}]}")).images()).isEqualTo(1);
  }
}

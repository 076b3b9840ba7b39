package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptionRequestTest {

  private static final String BOUNDARY = "------------------------d74496d66958873e";

  private static MediaFixtures.Form form() {
    return new MediaFixtures.Form(BOUNDARY);
  }

  private static TranscriptionRequest decode(MediaFixtures.Form form) {
    return TranscriptionRequest.decode(form.close(), form.contentType());
  }

  private static MediaFixtures.Form withFile(MediaFixtures.Form form) {
    return form.file("file", "talk.wav", "audio/wav", AudioFixtures.wav(16000, 1, 16, 3.0));
  }

  @Test
  void theModelTheFileAndTheFormatAreRead() {
    TranscriptionRequest request = decode(withFile(form().field("model", "whisper-1"))
        .field("response_format", "verbose_json").field("language", "en").field("temperature", "0.2")
        .field("timestamp_granularities[]", "word").field("timestamp_granularities[]", "segment"));

    assertThat(request.model()).isEqualTo("whisper-1");
    assertThat(request.responseFormat()).isEqualTo("verbose_json");
    assertThat(request.answerFormat()).isEqualTo("verbose_json");
    assertThat(request.stream()).isFalse();
    assertThat(request.file().filename()).isEqualTo("talk.wav");
    assertThat(request.fileSeconds()).hasValue(3.0);
  }

  @Test
  void noFormatMeansJson() {
    TranscriptionRequest request = decode(withFile(form().field("model", "gpt-4o-transcribe")));

    assertThat(request.responseFormat()).isNull();
    assertThat(request.answerFormat()).isEqualTo("json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "text", "srt", "verbose_json", "vtt"})
  void eachOfOpenAisFormatsIsTaken(String format) {
    assertThat(decode(withFile(form().field("model", "whisper-1").field("response_format", format))).responseFormat())
        .isEqualTo(format);
  }

  @Test
  void streamIsReadAsTheSdksWriteIt() {
    assertThat(decode(withFile(form().field("model", "m").field("stream", "true"))).stream()).isTrue();
    assertThat(decode(withFile(form().field("model", "m").field("stream", "False"))).stream()).isFalse();
  }

  @Test
  void theUpstreamBodyHasTheModelRenamedAndTheSameBodyWhenItIsNot() {
    MediaFixtures.Form sent = withFile(form().field("model", "whisper-1"));
    byte[] body = sent.close();
    TranscriptionRequest request = TranscriptionRequest.decode(body, sent.contentType());

    assertThat(request.upstreamBody("whisper-1")).isSameAs(body);
    assertThat(TranscriptionRequest.decode(request.upstreamBody("large-v3"), sent.contentType()).model()).isEqualTo("large-v3");
  }

  @Test
  void aFileInAnotherFormatHasNoDurationFromItsBytes() {
    TranscriptionRequest request = decode(form().field("model", "m").file("file", "a.m4a", "audio/mp4", new byte[] {0, 0, 0, 0x18}));

    assertThat(request.fileSeconds()).isEmpty();
  }

  private static void assertInvalid(MediaFixtures.Form form, String param, String message) {
    GatewayError error = failure(() -> decode(form));
    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.param()).isEqualTo(param);
    assertThat(error.message()).isEqualTo(message);
  }

  @Test
  void aMissingModelIsA400() {
    assertInvalid(withFile(form()), "model", "'model' is required");
  }

  @Test
  void aBlankModelIsA400() {
    assertInvalid(withFile(form().field("model", " ")), "model", "'model' must not be blank");
  }

  @Test
  void aMissingFileIsA400() {
    assertInvalid(form().field("model", "whisper-1"), "file", "'file' is required");
  }

  @Test
  void anEmptyFileIsA400() {
    assertInvalid(form().field("model", "whisper-1").file("file", "a.wav", "audio/wav", new byte[0]), "file", "'file' must not be empty");
  }

  @Test
  void anUnknownFormatIsA400() {
    for (String format : new String[] {"xml", "JSON", "", "diarized_json"}) {
      assertInvalid(withFile(form().field("model", "m").field("response_format", format)), "response_format",
          "'response_format' must be one of json, text, srt, verbose_json, vtt");
    }
  }

  @Test
  void aStreamThatIsNoBooleanIsA400() {
    assertInvalid(withFile(form().field("model", "m").field("stream", "yes")), "stream", "'stream' must be true or false");
  }

  @Test
  void aModelOrFileGivenTwiceIsA400() {
    assertInvalid(withFile(form().field("model", "cheap").field("model", "dear")), "model", "'model' is given more than once");
    assertInvalid(withFile(withFile(form().field("model", "m"))), "file", "'file' is given more than once");
  }

  @Test
  void aBodyThatIsNoFormIsA400() {
    GatewayError error = failure(() -> TranscriptionRequest.decode("{\"model\":\"whisper-1\"}".getBytes(), "application/json"));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.message()).isEqualTo("Content-Type must be multipart/form-data with a boundary");
  }
}

package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.failure;
import static dev.tollgate.protocol.media.MediaFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TranscriptionAnswerTest {

  @Test
  void verboseJsonGivesItsDuration() {
    TranscriptionAnswer answer = TranscriptionAnswer.read(json("""
        {"task":"transcribe","language":"english","duration":8.470000267028809,"text":"The beach was a popular spot.",
         "segments":[{"id":0,"seek":0,"start":0.0,"end":3.32,"text":"The beach","tokens":[50364,440],"temperature":0.0}]}"""),
        "verbose_json");

    assertThat(answer).isEqualTo(new TranscriptionAnswer(8.470000267028809, null, null));
    assertThat(answer.duration()).hasValue(8.470000267028809);
    assertThat(answer.hasTokens()).isFalse();
  }

  @Test
  void whisperJsonGivesUsageSeconds() {
    TranscriptionAnswer answer = TranscriptionAnswer.read(json(
        "{\"text\":\"Hello.\",\"usage\":{\"type\":\"duration\",\"seconds\":9}}"), "json");

    assertThat(answer).isEqualTo(new TranscriptionAnswer(9.0, null, null));
  }

  @Test
  void usageSecondsWinOverTheDurationWhenBothAreGiven() {
    TranscriptionAnswer answer = TranscriptionAnswer.read(json(
        "{\"duration\":8.47,\"text\":\"t\",\"usage\":{\"type\":\"duration\",\"seconds\":9}}"), "verbose_json");

    assertThat(answer.seconds()).isEqualTo(9.0);
  }

  @Test
  void gptTranscriptionModelsGiveTokens() {
    TranscriptionAnswer answer = TranscriptionAnswer.read(json("""
        {"text":"Hi.","usage":{"type":"tokens","input_tokens":14,"input_token_details":{"text_tokens":0,"audio_tokens":14},
         "output_tokens":45,"total_tokens":59}}"""), null);

    assertThat(answer).isEqualTo(new TranscriptionAnswer(null, 14, 45));
    assertThat(answer.hasTokens()).isTrue();
    assertThat(answer.duration()).isEmpty();
  }

  @Test
  void aJsonAnswerWithoutUsageTellsNothing() {
    assertThat(TranscriptionAnswer.read(json("{\"text\":\"Hello.\"}"), "json")).isEqualTo(TranscriptionAnswer.NOTHING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "srt", "vtt"})
  void textFormatsAreNotReadAtAll(String format) {
    byte[] subtitle = json("1\n00:00:00,000 --> 00:00:04,000\nHello.\n");

    assertThat(TranscriptionAnswer.read(subtitle, format)).isEqualTo(TranscriptionAnswer.NOTHING);
  }

  @Test
  void valuesThatAreNoDurationAreIgnored() {
    assertThat(TranscriptionAnswer.read(json("{\"duration\":-1,\"text\":\"t\"}"), "verbose_json").seconds()).isNull();
    assertThat(TranscriptionAnswer.read(json("{\"duration\":\"abc\"}"), "verbose_json").seconds()).isNull();
    assertThat(TranscriptionAnswer.read(json("{\"duration\":{\"s\":1},\"usage\":{\"seconds\":[1]}}"), "verbose_json"))
        .isEqualTo(TranscriptionAnswer.NOTHING);
    assertThat(TranscriptionAnswer.read(json("{\"usage\":\"lots\",\"duration\":2}"), "verbose_json").seconds()).isEqualTo(2.0);
    assertThat(TranscriptionAnswer.read(json("{\"usage\":{\"input_tokens\":1.5,\"output_tokens\":\"3\"}}"), "json"))
        .isEqualTo(TranscriptionAnswer.NOTHING);
  }

  @Test
  void aQuotedDurationFromACompatibleServerIsTaken() {
    assertThat(TranscriptionAnswer.read(json("{\"duration\":\"12.5\"}"), "verbose_json").seconds()).isEqualTo(12.5);
  }

  @Test
  void aJsonAnswerThatIsNoObjectIsA502() {
    for (String body : new String[] {"Hello.", "[1]", "", "{\"text\":"}) {
      GatewayError error = failure(() -> TranscriptionAnswer.read(json(body), "json"));
      assertThat(error.code()).as(body).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }
  }

  @Test
  void anErrorInsideA200IsA502() {
    GatewayError error = failure(() -> TranscriptionAnswer.read(json("{\"error\":{\"message\":\"Audio file is too short.\"}}"), "json"));

    assertThat(error.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    assertThat(error.message()).isEqualTo("upstream error: Audio file is too short.");
  }
}

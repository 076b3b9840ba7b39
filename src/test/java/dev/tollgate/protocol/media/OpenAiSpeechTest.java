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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OpenAiSpeechTest {

  private static SpeechRequest decode(String body) {
    return OpenAiSpeech.decode(json(body));
  }

  @Test
  void everyFieldTheGatewayReadsIsRead() {
    SpeechRequest request = decode("""
        {"model":"gpt-4o-mini-tts","input":"Hello there.","voice":"coral","response_format":"wav","speed":1.5,
         "instructions":"Speak cheerfully.","stream_format":"audio"}""");

    assertThat(request).isEqualTo(new SpeechRequest("gpt-4o-mini-tts", "Hello there.", "wav", 1.5, "audio"));
  }

  @Test
  void aBareRequestLeavesTheDefaultsToTheUpstream() {
    assertThat(decode("{\"model\":\"tts-1\",\"input\":\"hi\",\"voice\":\"alloy\"}"))
        .isEqualTo(new SpeechRequest("tts-1", "hi", null, null, null));
  }

  @Test
  void aCustomVoiceObjectIsAccepted() {
    assertThat(decode("{\"model\":\"gpt-4o-mini-tts\",\"input\":\"hi\",\"voice\":{\"id\":\"voice_1234\"}}").model())
        .isEqualTo("gpt-4o-mini-tts");
  }

  @Test
  void speedsAtTheBoundsAreTaken() {
    assertThat(decode("{\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\",\"speed\":0.25}").speed()).isEqualTo(0.25);
    assertThat(decode("{\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\",\"speed\":4}").speed()).isEqualTo(4.0);
  }

  @Test
  void charactersAreCodePointsNotUtf16Units() {
    SpeechRequest request = decode("{\"model\":\"m\",\"input\":\"héllo 👋🏽 世界\",\"voice\":\"v\"}");

    assertThat(request.input().length()).isEqualTo(13);
    assertThat(request.characters()).isEqualTo(11);
  }

  @Test
  void inputOf4096CharactersIsTheLimitCountedInCodePoints() {
    String emoji = "😀".repeat(4096); // 8192 UTF-16 units, 4096 characters
    assertThat(decode("{\"model\":\"m\",\"voice\":\"v\",\"input\":\"" + emoji + "\"}").characters()).isEqualTo(4096);

    GatewayError error = failure(() -> decode("{\"model\":\"m\",\"voice\":\"v\",\"input\":\"" + "a".repeat(4097) + "\"}"));
    assertThat(error.param()).isEqualTo("input");
    assertThat(error.message()).isEqualTo("'input' must be at most 4096 characters, not 4097");
  }

  static Stream<Arguments> invalid() {
    String ok = "\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\"";
    return Stream.of(
        Arguments.of("{\"input\":\"x\",\"voice\":\"v\"}", "model", "'model' is required"),
        Arguments.of("{\"model\":1,\"input\":\"x\",\"voice\":\"v\"}", "model", "'model' must be a string, not an integer"),
        Arguments.of("{\"model\":\"\",\"input\":\"x\",\"voice\":\"v\"}", "model", "'model' must not be blank"),
        Arguments.of("{\"model\":\"m\",\"voice\":\"v\"}", "input", "'input' is required"),
        Arguments.of("{\"model\":\"m\",\"input\":\"\",\"voice\":\"v\"}", "input", "'input' must not be empty"),
        Arguments.of("{\"model\":\"m\",\"input\":[\"x\"],\"voice\":\"v\"}", "input", "'input' must be a string, not an array"),
        Arguments.of("{\"model\":\"m\",\"input\":\"x\"}", "voice", "'voice' is required"),
        Arguments.of("{\"model\":\"m\",\"input\":\"x\",\"voice\":null}", "voice", "'voice' is required"),
        Arguments.of("{\"model\":\"m\",\"input\":\"x\",\"voice\":3}", "voice",
            "'voice' must be a voice name or an object with the 'id' of a custom voice, not an integer"),
        Arguments.of("{" + ok + ",\"response_format\":\"ogg\"}", "response_format",
            "'response_format' must be one of mp3, opus, aac, flac, wav, pcm"),
        Arguments.of("{" + ok + ",\"response_format\":\"MP3\"}", "response_format",
            "'response_format' must be one of mp3, opus, aac, flac, wav, pcm"),
        Arguments.of("{" + ok + ",\"response_format\":1}", "response_format",
            "'response_format' must be one of mp3, opus, aac, flac, wav, pcm"),
        Arguments.of("{" + ok + ",\"speed\":0.2}", "speed", "'speed' must be a number from 0.25 to 4.0"),
        Arguments.of("{" + ok + ",\"speed\":4.01}", "speed", "'speed' must be a number from 0.25 to 4.0"),
        Arguments.of("{" + ok + ",\"speed\":\"1\"}", "speed", "'speed' must be a number from 0.25 to 4.0"),
        Arguments.of("{" + ok + ",\"speed\":-1}", "speed", "'speed' must be a number from 0.25 to 4.0"));
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
    for (String body : new String[] {"[1]", "", "{", "true"}) {
      assertThat(failure(() -> decode(body)).code()).as(body).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
  }

  @Test
  void instructionsAndStreamFormatAreNotJudged() {
    assertThat(decode("{\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\",\"instructions\":5,\"stream_format\":7}").streamFormat())
        .isNull();
  }

  @ParameterizedTest
  @CsvSource({"mp3,audio/mpeg", "opus,audio/ogg", "aac,audio/aac", "flac,audio/flac", "wav,audio/wav", "pcm,audio/pcm",
      "other,application/octet-stream"})
  void eachFormatHasItsContentType(String format, String contentType) {
    assertThat(OpenAiSpeech.contentType(format)).isEqualTo(contentType);
  }

  @Test
  void noFormatMeansMp3() {
    assertThat(OpenAiSpeech.contentType((String) null)).isEqualTo("audio/mpeg");
  }

  @Test
  void sseStreamsAreEventStreamsWhateverTheAudioFormat() {
    assertThat(OpenAiSpeech.contentType(decode(
        "{\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\",\"response_format\":\"wav\",\"stream_format\":\"sse\"}")))
        .isEqualTo("text/event-stream");
    assertThat(OpenAiSpeech.contentType(decode("{\"model\":\"m\",\"input\":\"x\",\"voice\":\"v\",\"response_format\":\"wav\"}")))
        .isEqualTo("audio/wav");
  }
}

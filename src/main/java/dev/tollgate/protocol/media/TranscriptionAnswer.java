package dev.tollgate.protocol.media;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * What an upstream's transcription or translation answer says it heard.
 *
 * @param seconds the audio's duration: {@code usage.seconds} (whisper-1's json and verbose_json,
 *     what OpenAI bills), else verbose_json's top-level {@code duration}; null when neither is given
 * @param inputTokens {@code usage.input_tokens} of the GPT transcription models, or null
 * @param outputTokens {@code usage.output_tokens} of the GPT transcription models, or null
 */
public record TranscriptionAnswer(Double seconds, Integer inputTokens, Integer outputTokens) {

  /** An answer that tells nothing: text, srt and vtt transcripts carry no usage. */
  public static final TranscriptionAnswer NOTHING = new TranscriptionAnswer(null, null, null);

  public Optional<Double> duration() {
    return Optional.ofNullable(seconds);
  }

  public boolean hasTokens() {
    return inputTokens != null || outputTokens != null;
  }

  /**
   * Reads a 2xx answer in {@code responseFormat} (null: json). The JSON formats are read as a
   * stream, stepping over the transcript and its segments; the others are not read at all (a
   * subtitle's last cue ends where speech ends, not where the audio does).
   *
   * @throws dev.tollgate.protocol.GatewayError.Failure UPSTREAM_ERROR when a JSON answer is not a
   *     JSON object, or holds an error
   */
  public static TranscriptionAnswer read(byte[] answer, String responseFormat) {
    String format = responseFormat == null ? "json" : responseFormat;
    if (!format.endsWith("json")) {
      return NOTHING;
    }
    try (JsonParser parser = MediaJson.parser(answer)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw MediaFailures.upstream("the upstream's transcription answer is not a JSON object");
      }
      Double duration = null;
      Double usageSeconds = null;
      Integer inputTokens = null;
      Integer outputTokens = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "duration" -> duration = MediaJson.secondsOrNull(parser);
          case "usage" -> {
            if (value != JsonToken.START_OBJECT) {
              parser.skipChildren();
            } else {
              // Both kinds are read whatever its "type" says: a field is there or it is not.
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                  case "seconds" -> usageSeconds = MediaJson.secondsOrNull(parser);
                  case "input_tokens" -> inputTokens = MediaJson.intOrNull(parser);
                  case "output_tokens" -> outputTokens = MediaJson.intOrNull(parser);
                  default -> parser.skipChildren();
                }
              }
            }
          }
          case "error" -> {
            if (value != JsonToken.VALUE_NULL) {
              throw MediaJson.upstreamError(parser);
            }
          }
          default -> parser.skipChildren();
        }
      }
      return new TranscriptionAnswer(usageSeconds != null ? usageSeconds : duration, inputTokens, outputTokens);
    } catch (IOException e) {
      throw MediaFailures.upstream("the upstream's transcription answer is not valid JSON");
    }
  }
}

package dev.tollgate.protocol.media;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * OpenAI's {@code POST /v1/audio/speech}: the request as the gateway bills it (by the characters
 * of its input), and the Content-Type of the audio it asks for.
 *
 * <p>Client mistakes throw {@link dev.tollgate.protocol.GatewayError.Failure} with an
 * INVALID_REQUEST error naming the field (400).
 */
public final class OpenAiSpeech {

  /** OpenAI's limit on {@code input}. */
  public static final int MAX_INPUT_CHARACTERS = 4096;

  static final double MIN_SPEED = 0.25;
  static final double MAX_SPEED = 4.0;

  /**
   * The audio formats and their media types. Opus comes in an Ogg container, whose registered
   * type is audio/ogg (RFC 7845); audio/opus names bare RTP Opus (RFC 7587).
   */
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "mp3", "audio/mpeg",
      "opus", "audio/ogg",
      "aac", "audio/aac",
      "flac", "audio/flac",
      "wav", "audio/wav",
      "pcm", "audio/pcm");

  private static final String FORMATS = "mp3, opus, aac, flac, wav, pcm";

  private OpenAiSpeech() {}

  public static SpeechRequest decode(byte[] body) {
    JsonNode root = MediaJson.requestObject(body);
    String model = MediaJson.requiredString(root, "model");
    String input = input(root);
    requireVoice(root);
    return new SpeechRequest(model, input, responseFormat(root), speed(root), streamFormat(root));
  }

  /**
   * The media type of audio in {@code responseFormat} (null: OpenAI's default, mp3); only for when
   * the upstream names none. An unknown format is sent as bytes.
   */
  public static String contentType(String responseFormat) {
    return CONTENT_TYPES.getOrDefault(responseFormat == null ? "mp3" : responseFormat, "application/octet-stream");
  }

  /** The media type of the answer to {@code request}: server-sent events when it asked for them, else its audio's. */
  public static String contentType(SpeechRequest request) {
    return "sse".equals(request.streamFormat()) ? "text/event-stream" : contentType(request.responseFormat());
  }

  private static String input(JsonNode root) {
    JsonNode input = MediaJson.field(root, "input");
    if (input == null) {
      throw MediaFailures.invalid("input", "'input' is required");
    }
    if (!input.isTextual()) {
      throw MediaFailures.invalid("input", "'input' must be a string, not " + MediaJson.kind(input));
    }
    String text = input.textValue();
    if (text.isEmpty()) {
      throw MediaFailures.invalid("input", "'input' must not be empty");
    }
    int characters = text.codePointCount(0, text.length());
    if (characters > MAX_INPUT_CHARACTERS) {
      throw MediaFailures.invalid("input",
          "'input' must be at most " + MAX_INPUT_CHARACTERS + " characters, not " + characters);
    }
    return text;
  }

  /** A built-in voice's name or a custom voice object ({"id": "voice_…"}): the upstream knows which exist. */
  private static void requireVoice(JsonNode root) {
    JsonNode voice = MediaJson.field(root, "voice");
    if (voice == null) {
      throw MediaFailures.invalid("voice", "'voice' is required");
    }
    if (!voice.isTextual() && !voice.isObject()) {
      throw MediaFailures.invalid("voice",
          "'voice' must be a voice name or an object with the 'id' of a custom voice, not " + MediaJson.kind(voice));
    }
  }

  private static String responseFormat(JsonNode root) {
    JsonNode format = MediaJson.field(root, "response_format");
    if (format == null) {
      return null;
    }
    if (format.isTextual() && CONTENT_TYPES.containsKey(format.textValue())) {
      return format.textValue();
    }
    throw MediaFailures.invalid("response_format", "'response_format' must be one of " + FORMATS);
  }

  private static Double speed(JsonNode root) {
    JsonNode speed = MediaJson.field(root, "speed");
    if (speed == null) {
      return null;
    }
    if (!speed.isNumber() || !(speed.doubleValue() >= MIN_SPEED && speed.doubleValue() <= MAX_SPEED)) {
      throw MediaFailures.invalid("speed", "'speed' must be a number from 0.25 to 4.0");
    }
    return speed.doubleValue();
  }

  /** Read only to pick the answer's Content-Type; the upstream judges the value. */
  private static String streamFormat(JsonNode root) {
    JsonNode format = MediaJson.field(root, "stream_format");
    return format != null && format.isTextual() ? format.textValue() : null;
  }
}

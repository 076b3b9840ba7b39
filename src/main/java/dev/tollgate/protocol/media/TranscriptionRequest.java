package dev.tollgate.protocol.media;

import java.util.Optional;
import java.util.Set;

/**
 * An OpenAI transcription or translation request ({@code POST /v1/audio/transcriptions},
 * {@code /v1/audio/translations}), as far as the gateway reads it. The form travels upstream as
 * the client sent it, with only the model renamed; language, prompt, temperature and the rest
 * stay in it untouched.
 *
 * @param form the client's form; the file is read from it in place
 * @param file the audio part, which holds at least one byte
 * @param responseFormat {@code json}, {@code text}, {@code srt}, {@code verbose_json} or
 *     {@code vtt}, or null for OpenAI's default (json)
 * @param stream the client asked for the transcript as server-sent events (GPT transcription models)
 */
public record TranscriptionRequest(MultipartForm form, String model, MultipartForm.Part file, String responseFormat,
    boolean stream) {

  static final Set<String> RESPONSE_FORMATS = Set.of("json", "text", "srt", "verbose_json", "vtt");

  /** Reads the form of {@code body}, then the request from it. */
  public static TranscriptionRequest decode(byte[] body, String contentTypeHeader) {
    return from(MultipartForm.parse(body, contentTypeHeader));
  }

  /**
   * @throws dev.tollgate.protocol.GatewayError.Failure INVALID_REQUEST naming the field at fault;
   *     a field the gateway reads that is given twice is refused, as the upstream might read the other
   */
  public static TranscriptionRequest from(MultipartForm form) {
    String model = form.field("model").orElseThrow(() -> MediaFailures.invalid("model", "'model' is required"));
    if (model.isBlank()) {
      throw MediaFailures.invalid("model", "'model' must not be blank");
    }
    MultipartForm.Part file = form.part("file").orElseThrow(() -> MediaFailures.invalid("file", "'file' is required"));
    if (file.length() == 0) {
      throw MediaFailures.invalid("file", "'file' must not be empty");
    }
    String format = form.field("response_format").orElse(null);
    if (format != null && !RESPONSE_FORMATS.contains(format)) {
      throw MediaFailures.invalid("response_format", "'response_format' must be one of json, text, srt, verbose_json, vtt");
    }
    return new TranscriptionRequest(form, model, file, format, stream(form));
  }

  /** The format the answer comes in: OpenAI answers json when none is asked. */
  public String answerFormat() {
    return responseFormat == null ? "json" : responseFormat;
  }

  /** The client's body with the model renamed; the body itself when the name is the same. */
  public byte[] upstreamBody(String upstreamModel) {
    return form.replacingField("model", upstreamModel);
  }

  /** The audio's length read from the file itself, when its format tells it (WAV, MP3, FLAC). */
  public Optional<Double> fileSeconds() {
    return AudioDuration.of(form.body(), file.start(), file.end(), file.filename(), file.contentType());
  }

  /** A form field is text: "true" or "false", as the SDKs write a boolean. */
  private static boolean stream(MultipartForm form) {
    String stream = form.field("stream").orElse(null);
    if (stream == null || stream.equalsIgnoreCase("false")) {
      return false;
    }
    if (stream.equalsIgnoreCase("true")) {
      return true;
    }
    throw MediaFailures.invalid("stream", "'stream' must be true or false");
  }
}

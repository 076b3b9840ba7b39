package dev.tollgate.protocol.media;

/**
 * An OpenAI speech request, as far as the gateway reads it. The voice, instructions and every
 * other field stay in the body, which travels as the client sent it.
 *
 * @param input the text to speak, at most {@link OpenAiSpeech#MAX_INPUT_CHARACTERS} characters
 * @param responseFormat {@code mp3}, {@code opus}, {@code aac}, {@code flac}, {@code wav} or
 *     {@code pcm}, or null for OpenAI's default (mp3)
 * @param speed 0.25 to 4.0, or null for 1.0
 * @param streamFormat {@code audio} or {@code sse} as the client wrote it, or null (audio)
 */
public record SpeechRequest(String model, String input, String responseFormat, Double speed, String streamFormat) {

  /** What speech is billed by: Unicode code points, so an emoji or a CJK character counts once. */
  public int characters() {
    return input.codePointCount(0, input.length());
  }
}

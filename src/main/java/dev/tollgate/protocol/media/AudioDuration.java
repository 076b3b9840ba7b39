package dev.tollgate.protocol.media;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How long an uploaded audio file plays, read from its own bytes: WAV (and RF64), MP3 and FLAC.
 * Other formats (m4a, ogg, webm, …) answer empty. What the bytes are decides; the file's name and
 * Content-Type only tip the balance for an MP3 without a tag whose first frame is not at byte 0.
 *
 * <p>It answers, never throws: a truncated or garbled file is one whose length is unknown.
 */
public final class AudioDuration {

  private AudioDuration() {}

  /**
   * @param start the file's first byte in {@code body}
   * @param end one past its last byte
   * @param filename the upload's file name, or null
   * @param contentType the upload's Content-Type, or null
   */
  public static Optional<Double> of(byte[] body, int start, int end, String filename, String contentType) {
    Objects.checkFromToIndex(start, end, body.length);
    try {
      return Optional.ofNullable(seconds(new AudioBytes(body, start, end), looksLikeMp3(filename, contentType)));
    } catch (RuntimeException unforeseen) {
      // The readers check every bound; should a file still surprise them, its length is unknown.
      return Optional.empty();
    }
  }

  /** The readers without the safety net, for tests that must see any exception. */
  static Double seconds(AudioBytes file, boolean namedMp3) {
    if (WavDuration.isWav(file)) {
      return WavDuration.seconds(file);
    }
    if (FlacDuration.isFlac(file, 0)) {
      return FlacDuration.seconds(file, 0);
    }
    long tag = Mp3Duration.id3v2Length(file);
    if (tag > 0) {
      // ID3v2 tags mostly precede MP3, now and then FLAC.
      return FlacDuration.isFlac(file, tag) ? FlacDuration.seconds(file, tag) : Mp3Duration.seconds(file, tag, true);
    }
    return Mp3Duration.seconds(file, 0, namedMp3);
  }

  private static boolean looksLikeMp3(String filename, String contentType) {
    String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
    return name.endsWith(".mp3") || name.endsWith(".mpga") || name.endsWith(".mpeg")
        || type.equals("audio/mpeg") || type.equals("audio/mp3") || type.equals("audio/mpga");
  }
}

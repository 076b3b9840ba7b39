package dev.tollgate.protocol.media;

/**
 * The duration of a RIFF WAVE file (and RF64, its 64-bit form): the data chunk's size over the
 * fmt chunk's byte rate. Chunks are walked in order, so LIST, fact, bext and the like before the
 * data are stepped over.
 */
final class WavDuration {

  /** A size a streaming writer puts in a header it cannot go back to. */
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

  private WavDuration() {}

  static boolean isWav(AudioBytes file) {
    return (file.has(0, "RIFF") || file.has(0, "RF64")) && file.has(8, "WAVE");
  }

  /** Seconds, or null when the file does not say. */
  static Double seconds(AudioBytes file) {
    boolean rf64 = file.has(0, "RF64");
    long byteRate = -1;
    long dataBytes = -1;
    long ds64DataSize = -1;
    long at = 12;
    while (file.fits(at, 8)) {
      long size = file.u32le(at + 4);
      long content = at + 8;
      if (file.has(at, "ds64")) {
        ds64DataSize = file.u64le(content + 8); // after the RIFF size: 8 bytes each
      } else if (file.has(at, "fmt ")) {
        byteRate = byteRate(file, content, size);
        if (byteRate <= 0) {
          return null;
        }
      } else if (file.has(at, "data")) {
        long available = file.size() - content;
        long declared = rf64 && size == UNKNOWN_SIZE && ds64DataSize >= 0 ? ds64DataSize : size;
        // A streamed file states 0 or 0xFFFFFFFF; a cut-off one states more than it holds.
        dataBytes = declared == 0 || declared == UNKNOWN_SIZE ? available : Math.min(declared, available);
        if (byteRate > 0) {
          return dataBytes / (double) byteRate;
        }
        if (declared == 0 || declared == UNKNOWN_SIZE || declared > available) {
          return null; // a fmt chunk after data is found only past a data chunk of known size
        }
        size = declared;
      }
      at = content + size + (size & 1); // chunks are padded to an even size
    }
    return byteRate > 0 && dataBytes >= 0 ? dataBytes / (double) byteRate : null;
  }

  /** The average bytes per second of the fmt chunk at {@code content}; -1 when it has none. */
  private static long byteRate(AudioBytes file, long content, long size) {
    if (size < 16 || !file.fits(content, 16)) {
      return -1;
    }
    long byteRate = file.u32le(content + 8);
    if (byteRate > 0) {
      return byteRate;
    }
    // Some writers leave the average rate 0; for PCM it follows from the rate and the frame size.
    long sampleRate = file.u32le(content + 4);
    int blockAlign = file.u16le(content + 12);
    return sampleRate * blockAlign;
  }
}

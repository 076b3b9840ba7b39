package dev.tollgate.protocol.media;

/**
 * The duration of a FLAC stream from its STREAMINFO block, which the format requires to come
 * first: the total samples over the sample rate.
 */
final class FlacDuration {

  private static final int STREAMINFO_LENGTH = 34;

  private FlacDuration() {}

  static boolean isFlac(AudioBytes file, long at) {
    return file.has(at, "fLaC");
  }

  /** Seconds, or null when STREAMINFO is missing or says the total is unknown (0 samples). */
  static Double seconds(AudioBytes file, long at) {
    long block = at + 4;
    int type = file.u8(block);
    int length = file.u24be(block + 1);
    if (type < 0 || (type & 0x7F) != 0 || length < STREAMINFO_LENGTH) {
      return null;
    }
    long info = block + 4;
    if (!file.fits(info, STREAMINFO_LENGTH)) {
      return null;
    }
    // Bytes 10-17: 20 bits of sample rate, 3 of channels, 5 of bits per sample, 36 of total samples.
    long sampleRate = (long) file.u8(info + 10) << 12 | file.u8(info + 11) << 4 | file.u8(info + 12) >> 4;
    long totalSamples = (long) (file.u8(info + 13) & 0x0F) << 32 | file.u32be(info + 14);
    if (sampleRate == 0 || totalSamples == 0) {
      return null;
    }
    return totalSamples / (double) sampleRate;
  }
}

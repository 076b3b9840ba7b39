package dev.tollgate.protocol.media;

/**
 * The duration of an MPEG audio Layer III stream (MP3), from its first frame: a Xing/Info or
 * VBRI header's frame count when the encoder wrote one (every VBR file and LAME's CBR files),
 * else the constant bit rate over the bytes of audio.
 */
final class Mp3Duration {

  /** Kilobits per second by bitrate index, Layer III: MPEG-1, then MPEG-2 and 2.5. */
  private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1};
  private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1};
  /** Hertz by sample-rate index, MPEG-1; MPEG-2 halves them and MPEG-2.5 quarters them. */
  private static final int[] MPEG1_HZ = {44100, 48000, 32000};
  /** How far past junk (padding after a tag, a damaged start) the first frame is looked for. */
  private static final int SEARCH_BYTES = 64 * 1024;
  private static final int ID3V1_LENGTH = 128;

  private Mp3Duration() {}

  /** One frame header. */
  record Frame(boolean mpeg1, int kbps, int hz, boolean padding, boolean mono) {

    int samples() {
      return mpeg1 ? 1152 : 576;
    }

    int length() {
      return (mpeg1 ? 144 : 72) * kbps * 1000 / hz + (padding ? 1 : 0);
    }

    /** Where a Xing/Info header sits: after the side information, whose size depends on version and channels. */
    int xingOffset() {
      return 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    }

    boolean sameStream(Frame other) {
      return other != null && other.mpeg1 == mpeg1 && other.hz == hz;
    }
  }

  /** The length of the ID3v2 tag at the start of the file (header, footer and all), or 0. */
  static long id3v2Length(AudioBytes file) {
    if (!file.has(0, "ID3") || file.u8(3) == 0xFF || file.u8(4) == 0xFF) {
      return 0;
    }
    int flags = file.u8(5);
    long size = 0;
    for (int i = 6; i < 10; i++) {
      int b = file.u8(i);
      if (b < 0 || (b & 0x80) != 0) {
        return 0; // not a syncsafe size: not a tag
      }
      size = size << 7 | b;
    }
    return 10 + size + ((flags & 0x10) != 0 ? 10 : 0);
  }

  /** A Layer III frame header at {@code at}, or null. */
  static Frame frameAt(AudioBytes file, long at) {
    int b0 = file.u8(at);
    int b1 = file.u8(at + 1);
    int b2 = file.u8(at + 2);
    int b3 = file.u8(at + 3);
    if (b3 < 0 || b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
      return null;
    }
    int version = b1 >> 3 & 0x3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    int layer = b1 >> 1 & 0x3; // 1: Layer III
    int bitrateIndex = b2 >> 4;
    int rateIndex = b2 >> 2 & 0x3;
    if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return null; // free-format streams have no bit rate to count by
    }
    boolean mpeg1 = version == 3;
    int hz = MPEG1_HZ[rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4);
    int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
    return new Frame(mpeg1, kbps, hz, (b2 & 0x2) != 0, (b3 >> 6) == 3);
  }

  /**
   * Seconds of the stream whose first frame is at {@code from} or, when {@code search}, within
   * {@link #SEARCH_BYTES} after it; null when no frame is found.
   */
  static Double seconds(AudioBytes file, long from, boolean search) {
    long first = -1;
    Frame frame = frameAt(file, from);
    // At the expected place one frame is enough, unless another frame should follow and does not.
    if (frame != null && (!file.fits(from + frame.length(), 4) || frame.sameStream(frameAt(file, from + frame.length())))) {
      first = from;
    }
    for (long at = from + 1; first < 0 && search && at < from + SEARCH_BYTES && at < file.size(); at++) {
      frame = frameAt(file, at);
      // Found by searching, a sync could be chance: the next frame must be where this one says.
      if (frame != null && frame.sameStream(frameAt(file, at + frame.length()))) {
        first = at;
      }
    }
    if (first < 0) {
      return null;
    }
    long frames = frameCount(file, first, frame);
    if (frames > 0) {
      return frames * (double) frame.samples() / frame.hz();
    }
    long end = file.size();
    if (file.has(end - ID3V1_LENGTH, "TAG") && end - ID3V1_LENGTH >= first) {
      end -= ID3V1_LENGTH;
    }
    return (end - first) * 8.0 / (frame.kbps() * 1000.0);
  }

  /** The frame count of a Xing/Info or VBRI header in the frame at {@code at}, or -1. */
  private static long frameCount(AudioBytes file, long at, Frame frame) {
    long xing = at + frame.xingOffset();
    if (file.has(xing, "Xing") || file.has(xing, "Info")) {
      long flags = file.u32be(xing + 4);
      return flags >= 0 && (flags & 0x1) != 0 ? file.u32be(xing + 8) : -1;
    }
    long vbri = at + 4 + 32; // Fraunhofer's header sits at one place whatever the stream
    if (file.has(vbri, "VBRI")) {
      return file.u32be(vbri + 14); // after version, delay, quality (2 bytes each) and the byte count (4)
    }
    return -1;
  }
}

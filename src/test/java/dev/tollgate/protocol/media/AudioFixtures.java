package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.be32;
import static dev.tollgate.protocol.media.MediaFixtures.le16;
import static dev.tollgate.protocol.media.MediaFixtures.le32;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Synthetic audio files built byte by byte from the formats' specifications; no recordings needed. */
final class AudioFixtures {

  private AudioFixtures() {}

  // --- WAV ---

  static byte[] chunk(String id, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(id.getBytes(US_ASCII));
    out.writeBytes(le32(content.length));
    out.writeBytes(content);
    if (content.length % 2 == 1) {
      out.write(0); // RIFF pads every chunk to an even size
    }
    return out.toByteArray();
  }

  /** A PCM fmt chunk. */
  static byte[] fmt(int sampleRate, int channels, int bitsPerSample) {
    int blockAlign = channels * bitsPerSample / 8;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(le16(1));
    out.writeBytes(le16(channels));
    out.writeBytes(le32(sampleRate));
    out.writeBytes(le32((long) sampleRate * blockAlign));
    out.writeBytes(le16(blockAlign));
    out.writeBytes(le16(bitsPerSample));
    return chunk("fmt ", out.toByteArray());
  }

  /** RIFF/WAVE around the given chunks, with a correct RIFF size. */
  static byte[] riff(byte[]... chunks) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WAVE".getBytes(US_ASCII));
    for (byte[] chunk : chunks) {
      body.writeBytes(chunk);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("RIFF".getBytes(US_ASCII));
    out.writeBytes(le32(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** A PCM WAV of {@code seconds}, silent. */
  static byte[] wav(int sampleRate, int channels, int bitsPerSample, double seconds) {
    int bytes = (int) Math.round(seconds * sampleRate) * channels * bitsPerSample / 8;
    return riff(fmt(sampleRate, channels, bitsPerSample), chunk("data", new byte[bytes]));
  }

  /** A data chunk header stating {@code declaredSize}, followed by {@code actual} bytes. */
  static byte[] dataStating(long declaredSize, int actual) {
    byte[] chunk = new byte[8 + actual];
    System.arraycopy("data".getBytes(US_ASCII), 0, chunk, 0, 4);
    System.arraycopy(le32(declaredSize), 0, chunk, 4, 4);
    return chunk;
  }

  // --- MP3 ---

  /** MPEG-1 Layer III, 128 kbit/s, 48 kHz, stereo, no CRC: 384-byte frames of 1152 samples (24 ms). */
  static final byte[] MPEG1_128K_48K = {(byte) 0xFF, (byte) 0xFB, (byte) 0x94, 0x00};
  static final int MPEG1_128K_48K_LENGTH = 384;
  /** MPEG-1 Layer III, 64 kbit/s, 48 kHz: 192-byte frames (another bit rate of the same stream). */
  static final byte[] MPEG1_64K_48K = {(byte) 0xFF, (byte) 0xFB, (byte) 0x54, 0x00};
  static final int MPEG1_64K_48K_LENGTH = 192;
  /** MPEG-2 Layer III, 64 kbit/s, 24 kHz, mono: 192-byte frames of 576 samples (24 ms). */
  static final byte[] MPEG2_64K_24K_MONO = {(byte) 0xFF, (byte) 0xF3, (byte) 0x84, (byte) 0xC0};
  static final int MPEG2_64K_24K_LENGTH = 192;

  static byte[] frame(byte[] header, int length) {
    byte[] frame = new byte[length];
    System.arraycopy(header, 0, frame, 0, 4);
    return frame;
  }

  /** {@code count} identical frames back to back: a CBR stream. */
  static byte[] frames(byte[] header, int length, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      out.writeBytes(frame(header, length));
    }
    return out.toByteArray();
  }

  /** A first frame carrying a Xing (or Info) header that counts {@code frameCount} frames. */
  static byte[] xingFrame(String tag, long frameCount) {
    byte[] frame = frame(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH);
    int at = 4 + 32; // MPEG-1 stereo side information
    System.arraycopy(tag.getBytes(US_ASCII), 0, frame, at, 4);
    System.arraycopy(be32(0x0F), 0, frame, at + 4, 4); // frames, bytes, TOC, quality
    System.arraycopy(be32(frameCount), 0, frame, at + 8, 4);
    return frame;
  }

  /** A first frame carrying Fraunhofer's VBRI header that counts {@code frameCount} frames. */
  static byte[] vbriFrame(long frameCount) {
    byte[] frame = frame(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH);
    int at = 36;
    System.arraycopy("VBRI".getBytes(US_ASCII), 0, frame, at, 4);
    frame[at + 5] = 1; // version 1
    System.arraycopy(be32(123456), 0, frame, at + 10, 4); // bytes
    System.arraycopy(be32(frameCount), 0, frame, at + 14, 4);
    return frame;
  }

  /** An ID3v2.3 tag whose content is {@code contentSize} bytes, its size written syncsafe. */
  static byte[] id3v2(int contentSize) {
    byte[] tag = new byte[10 + contentSize];
    tag[0] = 'I';
    tag[1] = 'D';
    tag[2] = '3';
    tag[3] = 3;
    tag[6] = (byte) (contentSize >> 21 & 0x7F);
    tag[7] = (byte) (contentSize >> 14 & 0x7F);
    tag[8] = (byte) (contentSize >> 7 & 0x7F);
    tag[9] = (byte) (contentSize & 0x7F);
    if (contentSize > 0) {
      tag[10] = 'T'; // a frame id, so the tag is not all zeros
    }
    return tag;
  }

  static byte[] id3v1() {
    byte[] tag = new byte[128];
    tag[0] = 'T';
    tag[1] = 'A';
    tag[2] = 'G';
    return tag;
  }

  // --- FLAC ---

  static byte[] flac(int sampleRate, long totalSamples) {
    byte[] file = new byte[4 + 4 + 34 + 16];
    System.arraycopy("fLaC".getBytes(US_ASCII), 0, file, 0, 4);
    file[4] = (byte) 0x80; // last metadata block, type 0 (STREAMINFO)
    file[7] = 34;
    int info = 8;
    file[info + 10] = (byte) (sampleRate >> 12);
    file[info + 11] = (byte) (sampleRate >> 4);
    // sample rate's low 4 bits, then 3 bits channels-1 (1: stereo), then the top bit of bits-per-sample-1 (15)
    file[info + 12] = (byte) ((sampleRate & 0x0F) << 4 | 1 << 1);
    file[info + 13] = (byte) (0xF << 4 | (int) (totalSamples >> 32 & 0x0F));
    System.arraycopy(be32(totalSamples & 0xFFFFFFFFL), 0, file, info + 14, 4);
    return file;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] head(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }
}

package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.AudioFixtures.MPEG1_128K_48K;
import static dev.tollgate.protocol.media.AudioFixtures.MPEG1_128K_48K_LENGTH;
import static dev.tollgate.protocol.media.AudioFixtures.MPEG1_64K_48K;
import static dev.tollgate.protocol.media.AudioFixtures.MPEG1_64K_48K_LENGTH;
import static dev.tollgate.protocol.media.AudioFixtures.MPEG2_64K_24K_LENGTH;
import static dev.tollgate.protocol.media.AudioFixtures.MPEG2_64K_24K_MONO;
import static dev.tollgate.protocol.media.AudioFixtures.chunk;
import static dev.tollgate.protocol.media.AudioFixtures.concat;
import static dev.tollgate.protocol.media.AudioFixtures.dataStating;
import static dev.tollgate.protocol.media.AudioFixtures.flac;
import static dev.tollgate.protocol.media.AudioFixtures.fmt;
import static dev.tollgate.protocol.media.AudioFixtures.frames;
import static dev.tollgate.protocol.media.AudioFixtures.head;
import static dev.tollgate.protocol.media.AudioFixtures.id3v1;
import static dev.tollgate.protocol.media.AudioFixtures.id3v2;
import static dev.tollgate.protocol.media.AudioFixtures.riff;
import static dev.tollgate.protocol.media.AudioFixtures.vbriFrame;
import static dev.tollgate.protocol.media.AudioFixtures.wav;
import static dev.tollgate.protocol.media.AudioFixtures.xingFrame;
import static dev.tollgate.protocol.media.MediaFixtures.le32;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AudioDurationTest {

  private static Optional<Double> of(byte[] file) {
    return AudioDuration.of(file, 0, file.length, null, null);
  }

  private static Optional<Double> of(byte[] file, String filename, String contentType) {
    return AudioDuration.of(file, 0, file.length, filename, contentType);
  }

  // --- WAV ---

  @Test
  void aPcmWavLastsItsDataOverItsByteRate() {
    assertThat(of(wav(16000, 1, 16, 2.5))).hasValue(2.5);
    assertThat(of(wav(44100, 2, 16, 1.0))).hasValue(1.0);
    assertThat(of(wav(8000, 1, 8, 0.125))).hasValue(0.125);
  }

  @Test
  void chunksBeforeTheDataAreSteppedOverIncludingAnOddSizedOnesPadding() {
    byte[] file = riff(fmt(16000, 1, 16), chunk("LIST", "INFOISFT\u0003\0\0\0ab".getBytes(US_ASCII)),
        chunk("fact", le32(32000)), chunk("odd ", new byte[5]), chunk("data", new byte[64000]));

    assertThat(of(file)).hasValue(2.0);
  }

  @Test
  void aListChunkBeforeFmtIsSteppedOverToo() {
    byte[] file = riff(chunk("LIST", new byte[100]), fmt(8000, 1, 16), chunk("data", new byte[16000]));

    assertThat(of(file)).hasValue(1.0);
  }

  @Test
  void aStreamedWavStatingSize0Or0xFFFFFFFFLastsTheBytesItHolds() {
    assertThat(of(riff(fmt(16000, 1, 16), dataStating(0xFFFFFFFFL, 48000)))).hasValue(1.5);
    assertThat(of(riff(fmt(16000, 1, 16), dataStating(0, 16000)))).hasValue(0.5);
  }

  @Test
  void aCutOffWavLastsTheBytesItHoldsNotWhatItsHeaderPromised() {
    assertThat(of(riff(fmt(16000, 1, 16), dataStating(320000, 32000)))).hasValue(1.0);
  }

  @Test
  void aDataChunkBeforeFmtIsCountedOnceFmtIsFound() {
    byte[] file = riff(chunk("data", new byte[32000]), fmt(16000, 1, 16));

    assertThat(of(file)).hasValue(1.0);
  }

  @Test
  void aFmtWithoutAverageByteRateFallsBackToRateTimesBlockAlign() {
    byte[] fmt = fmt(16000, 2, 16);
    System.arraycopy(le32(0), 0, fmt, 8 + 8, 4); // the byte rate field
    assertThat(of(riff(fmt, chunk("data", new byte[64000])))).hasValue(1.0);
  }

  @Test
  void anRf64FileTakesItsDataSizeFromDs64() {
    byte[] ds64 = new byte[28];
    System.arraycopy(le32(48000), 0, ds64, 8, 4); // riff size (8 bytes), then the data size
    byte[] file = riff(chunk("ds64", ds64), fmt(16000, 1, 16), dataStating(0xFFFFFFFFL, 48000));
    System.arraycopy("RF64".getBytes(US_ASCII), 0, file, 0, 4);
    System.arraycopy(le32(0xFFFFFFFFL), 0, file, 4, 4);

    assertThat(of(file)).hasValue(1.5);
  }

  @Test
  void aWavWithoutFmtOrDataHasNoKnownDuration() {
    assertThat(of(riff(chunk("data", new byte[100])))).isEmpty();
    assertThat(of(riff(fmt(16000, 1, 16)))).isEmpty();
    assertThat(of(riff(chunk("fmt ", new byte[8]), chunk("data", new byte[100])))).isEmpty();
  }

  // --- MP3 ---

  @Test
  void aCbrMp3LastsItsBytesOverItsBitRate() {
    byte[] file = frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 100); // 100 × 24 ms

    assertThat(of(file).orElseThrow()).isCloseTo(2.4, within(1e-9));
  }

  @Test
  void anMpeg2MonoCbrMp3CountsByItsOwnTables() {
    byte[] file = frames(MPEG2_64K_24K_MONO, MPEG2_64K_24K_LENGTH, 50); // 50 × 24 ms

    assertThat(of(file).orElseThrow()).isCloseTo(1.2, within(1e-9));
  }

  @Test
  void anId3v2TagIsSkippedAndAnId3v1TagIsNotCountedAsAudio() {
    byte[] file = concat(id3v2(300), frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 100), id3v1());

    assertThat(of(file).orElseThrow()).isCloseTo(2.4, within(1e-9));
  }

  @Test
  void anId3v2TagWithAFooterIsSkippedWhole() {
    byte[] tag = id3v2(200);
    tag[5] = 0x10; // footer present
    byte[] footer = "3DI\u0004\0\u0010\0\0\u0001\u0048".getBytes(US_ASCII);
    byte[] file = concat(tag, footer, frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 50));

    assertThat(of(file).orElseThrow()).isCloseTo(1.2, within(1e-9));
  }

  @Test
  void paddingAfterAnId3TagIsSearchedPast() {
    byte[] file = concat(id3v2(64), new byte[700], frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 100));

    assertThat(of(file).orElseThrow()).isCloseTo(2.4, within(1e-9));
  }

  @Test
  void aXingHeadersFrameCountGivesAVbrFilesDuration() {
    // 250 frames of 24 ms = 6 s, though the bytes at 128 kbit/s would say far less.
    byte[] file = concat(xingFrame("Xing", 250), frames(MPEG1_64K_48K, MPEG1_64K_48K_LENGTH, 20),
        frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 10));

    assertThat(of(file)).hasValue(6.0);
  }

  @Test
  void lamesInfoHeaderOfACbrFileCountsToo() {
    byte[] file = concat(xingFrame("Info", 100), frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 100));

    assertThat(of(file)).hasValue(2.4);
  }

  @Test
  void aVbriHeadersFrameCountGivesTheDuration() {
    byte[] file = concat(vbriFrame(500), frames(MPEG1_64K_48K, MPEG1_64K_48K_LENGTH, 10));

    assertThat(of(file)).hasValue(12.0);
  }

  @Test
  void anId3TaggedVbrFileUsesItsXingHeader() {
    byte[] file = concat(id3v2(1000), xingFrame("Xing", 125), frames(MPEG1_64K_48K, MPEG1_64K_48K_LENGTH, 5));

    assertThat(of(file)).hasValue(3.0);
  }

  @Test
  void junkBeforeTheFirstFrameIsSearchedPastOnlyWhenTheUploadIsNamedMp3() {
    byte[] file = concat(new byte[] {1, 2, 3, 4, 5}, frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 100));

    assertThat(of(file)).isEmpty();
    assertThat(of(file, "talk.MP3", null).orElseThrow()).isCloseTo(2.4, within(1e-3));
    assertThat(of(file, "upload", "audio/mpeg; charset=binary").orElseThrow()).isCloseTo(2.4, within(1e-3));
  }

  @Test
  void aFrameHeaderFollowedByGarbageIsNoMp3() {
    byte[] file = concat(AudioFixtures.frame(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH), new byte[2000]);

    assertThat(of(file)).isEmpty();
  }

  @Test
  void freeFormatAndNonLayer3StreamsAndAdtsAacAreNotCounted() {
    byte[] free = frames(new byte[] {(byte) 0xFF, (byte) 0xFB, 0x04, 0}, 384, 10);
    byte[] layer2 = frames(new byte[] {(byte) 0xFF, (byte) 0xFD, (byte) 0x94, 0}, 384, 10);
    byte[] adts = frames(new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80}, 384, 10);

    assertThat(of(free, "a.mp3", null)).isEmpty();
    assertThat(of(layer2, "a.mp3", null)).isEmpty();
    assertThat(of(adts, "a.aac", "audio/aac")).isEmpty();
  }

  // --- FLAC ---

  @Test
  void aFlacLastsItsTotalSamplesOverItsSampleRate() {
    assertThat(of(flac(44100, 441000))).hasValue(10.0);
    assertThat(of(flac(96000, 48000))).hasValue(0.5);
  }

  @Test
  void aFlacSampleCountAbove32BitsIsRead() {
    long samples = 0x1_0000_0000L + 48000; // 36 bits: over a day at 48 kHz
    assertThat(of(flac(48000, samples))).hasValue(samples / 48000.0);
  }

  @Test
  void aFlacThatDoesNotKnowItsLengthHasNone() {
    assertThat(of(flac(44100, 0))).isEmpty();
  }

  @Test
  void anId3TaggedFlacIsReadAsFlac() {
    assertThat(of(concat(id3v2(50), flac(16000, 32000)))).hasValue(2.0);
  }

  // --- what decides the format ---

  @Test
  void theBytesDecideNotTheName() {
    assertThat(of(wav(16000, 1, 16, 2.0), "speech.mp3", "audio/mpeg")).hasValue(2.0);
    assertThat(of(flac(8000, 8000), "x.wav", "audio/wav")).hasValue(1.0);
  }

  @Test
  void otherFormatsHaveNoDurationHere() {
    byte[] ogg = concat("OggS".getBytes(US_ASCII), new byte[200]);
    byte[] m4a = concat(new byte[] {0, 0, 0, 0x20}, "ftypM4A ".getBytes(US_ASCII), new byte[200]);
    byte[] webm = concat(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, new byte[200]);

    assertThat(of(ogg, "a.ogg", "audio/ogg")).isEmpty();
    assertThat(of(m4a, "a.m4a", "audio/mp4")).isEmpty();
    assertThat(of(webm, "a.webm", "audio/webm")).isEmpty();
    assertThat(of(new byte[0])).isEmpty();
  }

  @Test
  void theFileIsReadWhereItSitsInsideALargerBody() {
    byte[] file = wav(16000, 1, 16, 1.0);
    byte[] body = concat("--boundary\r\n\r\n".getBytes(US_ASCII), file, "\r\n--boundary--".getBytes(US_ASCII));

    assertThat(AudioDuration.of(body, 14, 14 + file.length, "a.wav", null)).hasValue(1.0);
    // The bytes after the file (the next delimiter) are not part of it.
    assertThat(AudioDuration.of(body, 14, 14 + file.length - 16000, null, null)).hasValue(0.5);
  }

  @Test
  void offsetsOutsideTheBodyAreTheCallersMistake() {
    assertThatThrownBy(() -> AudioDuration.of(new byte[10], 5, 11, null, null)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  // --- never an exception ---

  @Test
  void everyTruncationOfEveryFormatAnswersWithoutThrowing() {
    List<byte[]> files = List.of(
        wav(8000, 1, 16, 0.01),
        riff(chunk("LIST", new byte[7]), fmt(8000, 1, 16), chunk("data", new byte[160])),
        concat(id3v2(40), xingFrame("Xing", 10), frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 2)),
        concat(vbriFrame(10), frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 2)),
        frames(MPEG2_64K_24K_MONO, MPEG2_64K_24K_LENGTH, 3),
        concat(id3v2(20), flac(44100, 44100)));
    for (byte[] file : files) {
      for (int length = 0; length <= file.length; length++) {
        byte[] cut = head(file, length);
        assertThatCode(() -> AudioDuration.seconds(new AudioBytes(cut, 0, cut.length), true))
            .as("%d of %d bytes", cut.length, file.length).doesNotThrowAnyException();
      }
    }
  }

  @Test
  void randomBytesAndRandomlyDamagedHeadersAnswerWithoutThrowing() {
    SplittableRandom random = new SplittableRandom(7);
    List<byte[]> seeds = List.of(wav(8000, 1, 16, 0.01), flac(8000, 80),
        concat(id3v2(10), xingFrame("Xing", 3), frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 1)));
    for (int round = 0; round < 3000; round++) {
      byte[] file;
      if (round % 3 == 0) {
        file = new byte[random.nextInt(600)];
        random.nextBytes(file);
      } else {
        file = seeds.get(random.nextInt(seeds.size())).clone();
        for (int flips = 0; flips < 4; flips++) {
          file[random.nextInt(Math.min(file.length, 64))] = (byte) random.nextInt(256);
        }
      }
      byte[] damaged = file;
      assertThatCode(() -> AudioDuration.seconds(new AudioBytes(damaged, 0, damaged.length), true))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void hugeStatedSizesAreNotTrusted() {
    byte[] file = riff(fmt(16000, 1, 16), dataStating(0xFFFFFFF0L, 32000));
    assertThat(of(file)).hasValue(1.0);
    byte[] tag = id3v2(0);
    tag[6] = 0x7F;
    tag[7] = 0x7F;
    tag[8] = 0x7F;
    tag[9] = 0x7F; // a 256 MB tag in a tiny file
    assertThat(of(concat(tag, frames(MPEG1_128K_48K, MPEG1_128K_48K_LENGTH, 3)))).isEmpty();
  }
}

package dev.tollgate.protocol.media;

import static dev.tollgate.protocol.media.MediaFixtures.failure;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartFormTest {

  private static final String BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

  private static MultipartForm parse(String body) {
    return MultipartForm.parse(body.getBytes(UTF_8), "multipart/form-data; boundary=" + BOUNDARY);
  }

  private static byte[] audio(int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom(length).nextBytes(bytes);
    return bytes;
  }

  // --- the boundary ---

  @ParameterizedTest
  @ValueSource(strings = {
      "multipart/form-data; boundary=abc123",
      "multipart/form-data;boundary=abc123",
      "Multipart/Form-Data; BOUNDARY=abc123",
      "multipart/form-data; boundary=\"abc123\"",
      "multipart/form-data; charset=utf-8; boundary=abc123",
      "multipart/form-data; boundary=abc123; charset=utf-8",
      "multipart/form-data; charset=\"a;b\"; boundary=abc123"})
  void theBoundaryIsFoundHoweverItIsWritten(String contentType) {
    assertThat(MultipartForm.boundary(contentType)).isEqualTo("abc123");
  }

  @Test
  void aQuotedBoundaryMayHoldSpacesAndSpecials() {
    assertThat(MultipartForm.boundary("multipart/form-data; boundary=\"a b:c=d\"")).isEqualTo("a b:c=d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "application/json", "multipart/form-data", "multipart/form-data; charset=utf-8",
      "multipart/mixed; boundary=abc", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
      "multipart/form-data; boundary=\"abc"})
  void aContentTypeWithoutAFormBoundaryIsA400(String contentType) {
    GatewayError error = failure(() -> MultipartForm.parse(new byte[0], contentType));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.message()).startsWith("Content-Type must be multipart/form-data with a boundary");
  }

  @Test
  void noContentTypeAtAllIsA400() {
    assertThat(failure(() -> MultipartForm.parse(new byte[0], null)).message())
        .isEqualTo("Content-Type must be multipart/form-data with a boundary");
  }

  @Test
  void aBoundaryLongerThan70CharactersIsA400() {
    assertThat(MultipartForm.boundary("multipart/form-data; boundary=" + "b".repeat(70))).hasSize(70);
    assertThat(failure(() -> MultipartForm.boundary("multipart/form-data; boundary=" + "b".repeat(71))).message())
        .isEqualTo("the multipart boundary must be 1 to 70 printable ASCII characters (RFC 2046)");
  }

  // --- parts ---

  @Test
  void fieldsAndAFileAreFoundWithTheirOffsets() {
    byte[] file = audio(5000);
    MediaFixtures.Form form = new MediaFixtures.Form(BOUNDARY)
        .field("model", "whisper-1")
        .file("file", "speech.wav", "audio/wav", file)
        .field("language", "de");
    byte[] body = form.close();

    MultipartForm parsed = MultipartForm.parse(body, form.contentType());

    assertThat(parsed.parts()).extracting(MultipartForm.Part::name).containsExactly("model", "file", "language");
    assertThat(parsed.field("model")).hasValue("whisper-1");
    assertThat(parsed.field("language")).hasValue("de");
    assertThat(parsed.field("prompt")).isEmpty();
    MultipartForm.Part part = parsed.part("file").orElseThrow();
    assertThat(part.filename()).isEqualTo("speech.wav");
    assertThat(part.contentType()).isEqualTo("audio/wav");
    assertThat(part.length()).isEqualTo(5000);
    assertThat(Arrays.copyOfRange(body, part.start(), part.end())).isEqualTo(file);
    assertThat(parsed.part("model").orElseThrow().filename()).isNull();
    assertThat(parsed.part("model").orElseThrow().contentType()).isNull();
  }

  @Test
  void theBodyIsNotCopied() {
    MediaFixtures.Form form = new MediaFixtures.Form(BOUNDARY).file("file", "a.mp3", "audio/mpeg", audio(100));
    byte[] body = form.close();

    assertThat(MultipartForm.parse(body, form.contentType()).body()).isSameAs(body);
  }

  @Test
  void aFileHoldingCrLfsDashesAndMostOfTheBoundaryIsReadWhole() {
    String tricky = "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X\r\n--\r\n\r\n";
    byte[] file = (tricky + "end").getBytes(UTF_8);
    MediaFixtures.Form form = new MediaFixtures.Form(BOUNDARY).file("file", "a.bin", null, file).field("model", "m");

    MultipartForm parsed = MultipartForm.parse(form.close(), form.contentType());

    MultipartForm.Part part = parsed.part("file").orElseThrow();
    assertThat(Arrays.copyOfRange(parsed.body(), part.start(), part.end())).isEqualTo(file);
    assertThat(parsed.field("model")).hasValue("m");
  }

  @Test
  void aPreambleAndAnEpilogueAreIgnored() {
    MultipartForm form = parse("This is a preamble.\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--"
        + BOUNDARY + "--\r\nThis is the epilogue. --" + BOUNDARY + "\r\n");

    assertThat(form.parts()).hasSize(1);
    assertThat(form.field("a")).hasValue("1");
  }

  @Test
  void transportPaddingAfterABoundaryIsAllowed() {
    MultipartForm form = parse("--" + BOUNDARY + "  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" + BOUNDARY + "--");

    assertThat(form.field("a")).hasValue("1");
  }

  @Test
  void anEmptyValueAndAPartWithoutContentAreEmptyFields() {
    // "bare": its headers' blank line ends with the delimiter's CRLF, which RFC 2046's grammar allows.
    MultipartForm form = parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"bare\"\r\n\r\n--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx\r\n--" + BOUNDARY + "--");

    assertThat(form.field("empty")).hasValue("");
    assertThat(form.field("bare")).hasValue("");
    assertThat(form.field("after")).hasValue("x");
  }

  @Test
  void aFormWithNoPartsIsEmpty() {
    assertThat(parse("--" + BOUNDARY + "--\r\n").parts()).isEmpty();
  }

  @Test
  void headerNamesAndParametersAreCaseInsensitiveAndInAnyOrder() {
    MultipartForm form = parse("--" + BOUNDARY + "\r\ncontent-type: audio/x-wav\r\nCONTENT-DISPOSITION: Form-Data; FILENAME=a.wav;"
        + "  Name=file\r\nX-Other: ignored\r\n\r\nRIFF\r\n--" + BOUNDARY + "--");

    MultipartForm.Part part = form.part("file").orElseThrow();
    assertThat(part.filename()).isEqualTo("a.wav");
    assertThat(part.contentType()).isEqualTo("audio/x-wav");
    assertThat(form.text(part)).isEqualTo("RIFF");
  }

  @Test
  void quotedValuesKeepSemicolonsAndEscapedQuotesAndWindowsPaths() {
    MultipartForm form = parse("--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\temp\\my \\\"best\\\"; take.mp3\"\r\n\r\nx\r\n--"
        + BOUNDARY + "--");

    assertThat(form.part("file").orElseThrow().filename()).isEqualTo("C:\\temp\\my \"best\"; take.mp3");
  }

  @Test
  void utf8FileNamesAndFieldValuesAreDecoded() {
    MultipartForm form = parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Grüße 会议.wav\"\r\n\r\n"
        + "x\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nÜber 会议 👋\r\n--" + BOUNDARY + "--");

    assertThat(form.part("file").orElseThrow().filename()).isEqualTo("Grüße 会议.wav");
    assertThat(form.field("prompt")).hasValue("Über 会议 👋");
  }

  @Test
  void anExtendedFilenameWinsOverThePlainOne() {
    MultipartForm form = parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"na_ve.wav\"; "
        + "filename*=UTF-8''na%C3%AFve.wav\r\n\r\nx\r\n--" + BOUNDARY + "--");

    assertThat(form.part("file").orElseThrow().filename()).isEqualTo("naïve.wav");
  }

  @Test
  void foldedHeaderLinesAreJoined() {
    MultipartForm form = parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data;\r\n name=\"model\"\r\n\r\nm\r\n--" + BOUNDARY + "--");

    assertThat(form.field("model")).hasValue("m");
  }

  @Test
  void aNameGivenTwiceIsA400WhenAsked() {
    MultipartForm form = parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ncheap\r\n--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ndear\r\n--" + BOUNDARY + "--");

    assertThat(form.parts()).hasSize(2);
    GatewayError error = failure(() -> form.field("model"));
    assertThat(error.param()).isEqualTo("model");
    assertThat(error.message()).isEqualTo("'model' is given more than once");
  }

  // --- malformed bodies ---

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "no boundary anywhere",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--BOUNDARY",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n--BOUNDARY--",
      "--BOUNDARY\r\n--BOUNDARY--",
      "--BOUNDARY",
      "--BOUNDARYX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\nContent-Disposition: form-data; name=\"a\"\n\n1\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--BOUNDARYjunk\r\n--BOUNDARY--",
      "--BOUNDARY\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Type: text/plain\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Disposition: form-data; filename=\"a.wav\"\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\nno colon here\r\n\r\n1\r\n--BOUNDARY--",
      "--BOUNDARY\r\n: no name\r\n\r\n1\r\n--BOUNDARY--"})
  void aMalformedBodyIsA400(String body) {
    GatewayError error = failure(() -> parse(body.replace("BOUNDARY", BOUNDARY)));

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(error.message()).startsWith("the multipart body is malformed: ");
  }

  @Test
  void malformedMessagesSayWhatIsWrong() {
    assertThat(failure(() -> parse("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1")).message())
        .isEqualTo("the multipart body is malformed: it ends without its closing boundary '--" + BOUNDARY + "--'");
    assertThat(failure(() -> parse("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\n1\r\n--" + BOUNDARY + "--")).message())
        .isEqualTo("the multipart body is malformed: its part #1 has no Content-Disposition header");
    assertThat(failure(() -> parse("hello")).message())
        .isEqualTo("the multipart body is malformed: it holds no boundary line '--" + BOUNDARY + "'");
  }

  @Test
  void headersThatNeverEndAreA400NotALongSearch() {
    String endless = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\nX: " + "y".repeat(20_000)
        + "\r\n\r\n1\r\n--" + BOUNDARY + "--";

    assertThat(failure(() -> parse(endless)).message())
        .isEqualTo("the multipart body is malformed: its part #1 has no blank line after its headers");
  }

  @Test
  void aLargeFileIsFoundQuickly() {
    byte[] file = audio(25 * 1024 * 1024);
    MediaFixtures.Form form = new MediaFixtures.Form(BOUNDARY).field("model", "whisper-1").file("file", "a.mp3", "audio/mpeg", file);
    byte[] body = form.close();

    long started = System.nanoTime();
    MultipartForm parsed = MultipartForm.parse(body, form.contentType());
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(parsed.part("file").orElseThrow().length()).isEqualTo(file.length);
    assertThat(millis).as("parse time in ms").isLessThan(2000);
  }
}

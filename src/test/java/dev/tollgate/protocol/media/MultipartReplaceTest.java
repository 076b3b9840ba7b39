package dev.tollgate.protocol.media;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Renaming the model in a form: one field's bytes change, every other byte stays. */
class MultipartReplaceTest {

  private static final String BOUNDARY = "abc-XYZ_0123";

  private static byte[] audio() {
    byte[] bytes = new byte[10_000];
    new SplittableRandom(3).nextBytes(bytes);
    return bytes;
  }

  private static MediaFixtures.Form form() {
    return new MediaFixtures.Form(BOUNDARY).field("model", "whisper-1").file("file", "a.wav", "audio/wav", audio())
        .field("language", "en");
  }

  @Test
  void theValueIsReplacedAndEveryOtherByteKept() {
    MediaFixtures.Form sent = form();
    byte[] body = sent.close();
    MultipartForm form = MultipartForm.parse(body, sent.contentType());

    byte[] renamed = form.replacingField("model", "whisper-large-v3-turbo");

    byte[] expected = new MediaFixtures.Form(BOUNDARY).field("model", "whisper-large-v3-turbo")
        .file("file", "a.wav", "audio/wav", audio()).field("language", "en").close();
    assertThat(renamed).isEqualTo(expected);
    MultipartForm reparsed = MultipartForm.parse(renamed, sent.contentType());
    assertThat(reparsed.field("model")).hasValue("whisper-large-v3-turbo");
    assertThat(reparsed.field("language")).hasValue("en");
    MultipartForm.Part file = reparsed.part("file").orElseThrow();
    assertThat(Arrays.copyOfRange(renamed, file.start(), file.end())).isEqualTo(audio());
  }

  @Test
  void aShorterValueAndANonAsciiValueAreSplicedExactly() {
    MediaFixtures.Form sent = form();
    MultipartForm form = MultipartForm.parse(sent.close(), sent.contentType());

    assertThat(MultipartForm.parse(form.replacingField("model", "w"), sent.contentType()).field("model")).hasValue("w");
    assertThat(MultipartForm.parse(form.replacingField("model", "모델-1"), sent.contentType()).field("model")).hasValue("모델-1");
    assertThat(MultipartForm.parse(form.replacingField("model", ""), sent.contentType()).field("model")).hasValue("");
  }

  @Test
  void theSameValueAnswersTheSameArray() {
    MediaFixtures.Form sent = form();
    byte[] body = sent.close();
    MultipartForm form = MultipartForm.parse(body, sent.contentType());

    assertThat(form.replacingField("model", "whisper-1")).isSameAs(body);
  }

  @Test
  void theLastFieldBeforeTheClosingBoundaryIsReplacedToo() {
    MediaFixtures.Form sent = form();
    MultipartForm form = MultipartForm.parse(sent.close(), sent.contentType());

    byte[] changed = form.replacingField("language", "de");

    MultipartForm reparsed = MultipartForm.parse(changed, sent.contentType());
    assertThat(reparsed.field("language")).hasValue("de");
    assertThat(reparsed.field("model")).hasValue("whisper-1");
    assertThat(changed).hasSize(form.body().length);
  }

  @Test
  void aMissingFieldIsAddedAsTheLastPartBeforeTheEpilogue() {
    byte[] body = new MediaFixtures.Form(BOUNDARY).file("file", "a.wav", null, audio()).raw("--" + BOUNDARY + "--\r\nepilogue")
        .bytes();
    MultipartForm form = MultipartForm.parse(body, "multipart/form-data; boundary=" + BOUNDARY);

    byte[] added = form.replacingField("model", "whisper-1");

    MultipartForm reparsed = MultipartForm.parse(added, "multipart/form-data; boundary=" + BOUNDARY);
    assertThat(reparsed.parts()).extracting(MultipartForm.Part::name).containsExactly("file", "model");
    assertThat(reparsed.field("model")).hasValue("whisper-1");
    assertThat(new String(added, UTF_8)).endsWith("\r\n--" + BOUNDARY + "--\r\nepilogue");
    assertThat(Arrays.copyOfRange(added, 0, reparsed.part("file").orElseThrow().end()))
        .isEqualTo(Arrays.copyOfRange(body, 0, form.part("file").orElseThrow().end()));
  }

  @Test
  void aFieldIsAddedEvenToAnEmptyForm() {
    MultipartForm form = MultipartForm.parse(("--" + BOUNDARY + "--").getBytes(UTF_8), "multipart/form-data; boundary=" + BOUNDARY);

    MultipartForm reparsed = MultipartForm.parse(form.replacingField("model", "m"), "multipart/form-data; boundary=" + BOUNDARY);

    assertThat(reparsed.field("model")).hasValue("m");
  }

  @Test
  void aPartWithoutContentGetsItsValueAfterItsBlankLine() {
    String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n--" + BOUNDARY + "--";
    MultipartForm form = MultipartForm.parse(body.getBytes(UTF_8), "multipart/form-data; boundary=" + BOUNDARY);

    byte[] changed = form.replacingField("model", "m");

    assertThat(new String(changed, UTF_8))
        .isEqualTo("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--" + BOUNDARY + "--");
  }

  @Test
  void aValueHoldingTheDelimiterIsRefused() {
    MediaFixtures.Form sent = form();
    MultipartForm form = MultipartForm.parse(sent.close(), sent.contentType());

    assertThatThrownBy(() -> form.replacingField("model", "x\r\n--" + BOUNDARY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> form.replacingField("model", "--" + BOUNDARY + "--")).isInstanceOf(IllegalArgumentException.class);
    assertThat(MultipartForm.parse(form.replacingField("model", "--not-it\r\n"), sent.contentType()).field("model"))
        .hasValue("--not-it\r\n");
  }
}

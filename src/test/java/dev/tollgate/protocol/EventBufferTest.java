package dev.tollgate.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventBufferTest {

  private static final JsonFactory JSON = new JsonFactory();

  /** What Jackson's generator writes for {"t": text}. */
  private static byte[] jackson(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("t", text);
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static byte[] template(String text) {
    EventTemplate template = EventTemplate.of(JSON, new byte[0], (json, slot) -> {
      json.writeStartObject();
      json.writeFieldName("t");
      slot.write();
      json.writeEndObject();
    }, new byte[0]);
    EventBuffer out = new EventBuffer();
    template.write(out, text);
    return out.toByteArray();
  }

  @Test
  void everyCharIsEscapedAsJacksonEscapesIt() throws IOException {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      all.append(c);
      assertThat(template(String.valueOf(c))).as("U+%04X", (int) c).isEqualTo(jackson(String.valueOf(c)));
    }
    assertThat(template(all.toString())).isEqualTo(jackson(all.toString()));
  }

  @Test
  void randomTextsOfAnyLengthComeOutAsJacksonWritesThem() throws IOException {
    Random random = new Random(3);
    String[] pieces = {"a", "é", "\"", "\\", "\n", "\u0001", "€", "\uD83C\uDF0D", "\uD800", "\uDFFF", "/", "\u2028", " "};
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(round < 280 ? 40 : 20_000);
      for (int i = 0; i < length; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      assertThat(template(text.toString())).as("round %d", round).isEqualTo(jackson(text.toString()));
    }
  }

  @Test
  void aFactoryThatEscapesOtherwiseCannotMakeTemplates() {
    JsonFactory escapingNonAscii = JsonFactory.builder().enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventTemplate.of(escapingNonAscii, new byte[0], (json, slot) -> slot.write(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBufferIsReusedAndEachEventComesOutAlone() {
    EventBuffer out = new EventBuffer();
    out.writeBytes("x".repeat(100_000).getBytes(UTF_8));
    assertThat(out.toByteArray()).hasSize(100_000);

    out.reset();
    out.write('a');
    out.writeJsonStringContent("é\"");

    assertThat(new String(out.toByteArray(), UTF_8)).isEqualTo("aé\\\"");
  }
}

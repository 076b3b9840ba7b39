package dev.tollgate.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EventJsonParserTest {

  private final EventJsonParser parser = new EventJsonParser(new JsonFactory());

  /** Reads {"t": string} (any other member skipped); null when the shape is not that. */
  private String read(String data, boolean giveUpHalfway) {
    byte[] bytes = (data + "padding that is never fed").getBytes(UTF_8);
    String text = null;
    boolean read;
    try {
      JsonParser json = parser.next(bytes, data.getBytes(UTF_8).length);
      read = json.nextToken() == JsonToken.START_OBJECT;
      while (read && json.nextToken() == JsonToken.FIELD_NAME) {
        if (giveUpHalfway) {
          read = false;
        } else if (json.currentName().equals("t") && json.nextToken() == JsonToken.VALUE_STRING) {
          text = json.getText();
        } else {
          json.nextToken();
          json.skipChildren();
        }
      }
    } catch (IOException e) {
      read = false;
    }
    return parser.end(read) ? text : null;
  }

  @Test
  void eventAfterEventIsReadByTheSameParser() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(read("{\"a\":[1,{\"b\":2}],\"t\":\"x" + i + "\"}", false)).isEqualTo("x" + i);
    }
  }

  @Test
  void eachEventMustBeOneWholeObjectAndTheNextEventStartsClean() {
    assertThat(read(" {\"t\":\"spaces around\"} \t", false)).isEqualTo("spaces around");
    assertThat(read("{\"t\":\"cut", false)).isNull();
    assertThat(read("{\"t\":\"after a cut\"}", false)).isEqualTo("after a cut");
    assertThat(read("{\"t\":\"one\"} {\"t\":\"two\"}", false)).isNull();
    assertThat(read("{\"t\":\"after two\"}", false)).isEqualTo("after two");
    assertThat(read("{\"t\":\"x\"} junk", false)).isNull();
    assertThat(read("{\"t\":\"left halfway\",\"u\":1}", true)).isNull();
    assertThat(read("{\"t\":\"after halfway\"}", false)).isEqualTo("after halfway");
    assertThat(read("[1]", false)).isNull();
    assertThat(read("", false)).isNull();
    assertThat(read("{\"t\":\"é 🌍\"}", false)).isEqualTo("é 🌍");
  }

  @Test
  void knownTextsComeBackAsTheKnownInstance() throws IOException {
    String[] known = {"text_delta", "input_json_delta"};
    byte[] data = "[\"input_json_delta\",\"text_delt\",\"text_delta\"]".getBytes(UTF_8);
    JsonParser json = new JsonFactory().createParser(data);
    json.nextToken();

    json.nextToken();
    assertThat(EventJsonParser.text(json, known)).isSameAs(known[1]);
    json.nextToken();
    assertThat(EventJsonParser.text(json, known)).isEqualTo("text_delt");
    json.nextToken();
    assertThat(EventJsonParser.text(json, known)).isSameAs(known[0]);
  }
}

package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiPromptTextTest {

  private static OpenAiPromptText.PromptText of(String body) {
    return OpenAiPromptText.of(body.getBytes(UTF_8), 0);
  }

  @Test
  void collectsMessageTextAndCountsMessages() {
    OpenAiPromptText.PromptText text = of("""
        {"model":"gpt-4o","temperature":0.2,"messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_a1","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
          {"role":"tool","tool_call_id":"call_a1","content":"{\\"temp_c\\":18}"}
        ],"user":"not prompt text"}
        """);

    assertThat(text.messages()).isEqualTo(4);
    assertThat(text.text())
        .contains("Be brief.", "Weather in Paris?", "get_weather", "{\"city\":\"Paris\"}", "{\"temp_c\":18}")
        .doesNotContain("not prompt text", "gpt-4o");
  }

  @Test
  void imageAndAudioPayloadsAreNotCountedAsText() {
    String base64 = "iVBORw0KGgo".repeat(10_000);
    OpenAiPromptText.PromptText text = of("{\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Describe this\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + base64 + "\",\"detail\":\"high\"}},"
        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"" + base64 + "\",\"format\":\"wav\"}},"
        + "{\"type\":\"file\",\"file\":{\"file_data\":\"data:application/pdf;base64," + base64 + "\",\"filename\":\"a.pdf\"}}"
        + "]}],\"model\":\"m\"}");

    assertThat(text.messages()).isEqualTo(1);
    assertThat(text.text()).contains("Describe this").doesNotContain("iVBORw0KGgo");
    assertThat(text.text().length()).isLessThan(100);
  }

  @Test
  void bodyStartSkipsAByteOrderMark() {
    byte[] body = "\uFEFF{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(UTF_8);

    OpenAiPromptText.PromptText text = OpenAiPromptText.of(body, 3);

    assertThat(text.messages()).isEqualTo(1);
    assertThat(text.text()).contains("hi");
  }

  @Test
  void unreadableBodyGivesWhatWasReadWithoutFailing() {
    OpenAiPromptText.PromptText text = of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"content\":");

    assertThat(text.text()).contains("hi");
    assertThat(text.messages()).isEqualTo(2);
  }
}

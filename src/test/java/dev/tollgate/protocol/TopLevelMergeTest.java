package dev.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopLevelMergeTest {

  private static String merge(String body, Map<String, String> members) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    members.forEach((name, json) -> values.put(name, json.getBytes(StandardCharsets.UTF_8)));
    return new String(TopLevelMerge.merge(body.getBytes(StandardCharsets.UTF_8), values), StandardCharsets.UTF_8);
  }

  @Test
  void replacesAMemberInPlaceAndKeepsEveryOtherByte() {
    String body = "{\"model\":\"m\", \"max_tokens\" : 4096,\"temperature\":1.0,\"x\":{\"max_tokens\":1}}";

    assertThat(merge(body, Map.of("max_tokens", "1024")))
        .isEqualTo("{\"model\":\"m\", \"max_tokens\" : 1024,\"temperature\":1.0,\"x\":{\"max_tokens\":1}}");
  }

  @Test
  void replacesValuesOfEveryKindWhereverTheyStand() {
    assertThat(merge("{\"a\":[1,2,{\"b\":3}],\"c\":null}", Map.of("a", "true", "c", "\"s\"")))
        .isEqualTo("{\"a\":true,\"c\":\"s\"}");
    assertThat(merge("{\"a\":{\"deep\":[{}]}}", Map.of("a", "12"))).isEqualTo("{\"a\":12}");
    assertThat(merge("{\"a\":-1.5e3 }", Map.of("a", "2"))).isEqualTo("{\"a\":2 }");
  }

  @Test
  void aStringValueIsReplacedWhole() {
    // Jackson reads strings lazily; an end taken before the string was read cut it after its quote.
    assertThat(merge("{\"model\":\"dall-e-3\",\"reasoning_effort\":\"low\",\"n\":2}",
        Map.of("model", "\"gpt-image-1\"", "reasoning_effort", "\"high\"")))
        .isEqualTo("{\"model\":\"gpt-image-1\",\"reasoning_effort\":\"high\",\"n\":2}");
  }

  @Test
  void appendsMembersTheBodyLacksInTheirOrder() {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("top_k", "5");
    members.put("metadata", "{\"team\":\"a\"}");

    assertThat(merge("{\"model\":\"m\"}\n", members)).isEqualTo("{\"model\":\"m\",\"top_k\":5,\"metadata\":{\"team\":\"a\"}}\n");
    assertThat(merge("{ }", Map.of("a", "1"))).isEqualTo("{ \"a\":1}");
  }

  @Test
  void replacesEveryDuplicateSoNoParserCanPickTheOldValue() {
    assertThat(merge("{\"n\":1,\"n\":2}", Map.of("n", "3"))).isEqualTo("{\"n\":3,\"n\":3}");
  }

  @Test
  void escapesNewMemberNamesAndKeepsUnicode() throws Exception {
    String merged = merge("{\"text\":\"東京 🌍\"}", Map.of("we\"ird", "\"ü\""));

    assertThat(new ObjectMapper().readTree(merged).path("we\"ird").asText()).isEqualTo("ü");
    assertThat(merged).startsWith("{\"text\":\"東京 🌍\"");
  }

  @Test
  void nothingToSetOrNotAnObjectLeavesTheBodyAlone() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(TopLevelMerge.merge(body, Map.of())).isSameAs(body);
    assertThat(merge("[1,2]", Map.of("a", "1"))).isEqualTo("[1,2]");
    assertThat(merge("{\"a\":", Map.of("a", "1"))).isEqualTo("{\"a\":");
  }
}

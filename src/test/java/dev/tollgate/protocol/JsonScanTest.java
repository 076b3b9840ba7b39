package dev.tollgate.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonScanTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"usage\":{\"a\":1}}", "{\"usage\" :\t {}}", "{\"usage\":null}", "{\"x\":\"usage\"}", "{\"usage\"}", "\"usage\"",
    "{\"a\":\"\\\"usage\\\":{\"}", "{\"usage\":1,\"b\":{\"usage\":{}}}", "{\"é\":\"usage\",\"usage\": {}}", ""
  })
  void bytesAndStringsAgree(String json) {
    byte[] padded = (json + "{\"usage\":{}}").getBytes(UTF_8); // bytes past the length are not looked at
    int length = json.getBytes(UTF_8).length;

    JsonScan.Markers markers = new JsonScan.Markers("\"usage\"", "x\"");
    boolean member = false;
    for (int at = markers.find(padded, 0, length); at >= 0; at = markers.find(padded, at + 1, length)) {
      member |= JsonScan.isAt(padded, length, at, "\"usage\"") && JsonScan.valueStarts(padded, length, at + 7, '{');
    }

    assertThat(member).isEqualTo(JsonScan.hasMember(json, "\"usage\"", '{'));
    assertThat(markers.find(padded, 0, length) >= 0).isEqualTo(json.contains("\"usage\"") || json.contains("x\""));
  }
}

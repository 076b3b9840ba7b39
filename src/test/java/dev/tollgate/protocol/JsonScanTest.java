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

    assertThat(JsonScan.hasMember(padded, length, "\"usage\"", '{')).isEqualTo(JsonScan.hasMember(json, "\"usage\"", '{'));
    assertThat(JsonScan.contains(padded, length, "\"usage\"")).isEqualTo(json.contains("\"usage\""));
  }
}

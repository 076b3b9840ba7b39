package dev.tollgate.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParamOverridesTest {

  @Test
  void mergesItsMembersIntoABody() {
    ParamOverrides overrides = ParamOverrides.parse("{\"max_tokens\": 1024, \"user\": \"gw\"}");

    byte[] merged = overrides.applyTo("{\"model\":\"m\",\"max_tokens\":9000}".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(merged, StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\",\"max_tokens\":1024,\"user\":\"gw\"}");
    assertThat(overrides.json()).isEqualTo("{\"max_tokens\":1024,\"user\":\"gw\"}");
    assertThat(overrides.tree().path("max_tokens").asInt()).isEqualTo(1024);
  }

  @Test
  void noneLeavesBodiesAloneAndIsStoredAsNothing() {
    byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    assertThat(ParamOverrides.parse(null)).isSameAs(ParamOverrides.NONE);
    assertThat(ParamOverrides.parse("{}")).isSameAs(ParamOverrides.NONE);
    assertThat(ParamOverrides.NONE.applyTo(body)).isSameAs(body);
    assertThat(ParamOverrides.NONE.json()).isNull();
  }

  @Test
  void onlyAJsonObjectIsAccepted() {
    assertThatThrownBy(() -> ParamOverrides.parse("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> ParamOverrides.parse("{max_tokens: 1}")).hasMessageContaining("JSON object");
  }

  @Test
  void modelAndStreamAreTheRelaysToSet() {
    assertThatThrownBy(() -> ParamOverrides.parse("{\"model\":\"x\"}")).hasMessageContaining("'model'");
    assertThatThrownBy(() -> ParamOverrides.parse("{\"stream\":true}")).hasMessageContaining("'stream'");
  }
}

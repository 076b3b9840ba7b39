package dev.tollgate.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelSpecTest {

  private static ChannelSpec spec(String name, String type, String baseUrl, String secret, List<String> models, int weight) {
    return new ChannelSpec(name, type, baseUrl, secret, models, Map.of(), 0, weight);
  }

  private static ChannelSpec valid() {
    return spec("main", "openai", "https://api.openai.com/v1", "sk-x", List.of("gpt-4o"), 1);
  }

  @Test
  void validSpecKeepsItsValues() {
    ChannelSpec spec = new ChannelSpec("main", "openai", "http://localhost:11434", "sk-x",
        List.of(" gpt-4o ", "", "gpt-4o-mini"), Map.of("gpt-4o", "gpt-4o-2024-08-06"), -5, 7);

    assertThat(spec.models()).containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(spec.modelMapping()).containsEntry("gpt-4o", "gpt-4o-2024-08-06");
    assertThat(spec.priority()).isEqualTo(-5);
    assertThat(spec.weight()).isEqualTo(7);
    assertThat(valid().modelMapping()).isEmpty();
  }

  @Test
  void collectionsAreCopiedDefensively() {
    List<String> models = new ArrayList<>(List.of("a"));
    Map<String, String> mapping = new HashMap<>(Map.of("a", "b"));
    ChannelSpec spec = new ChannelSpec("n", "openai", "https://x.example", "s", models, mapping, 0, 1);

    models.add("c");
    mapping.put("c", "d");

    assertThat(spec.models()).containsExactly("a");
    assertThat(spec.modelMapping()).containsOnlyKeys("a");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void nameIsRequired(String name) {
    assertThatThrownBy(() -> spec(name, "openai", "https://x.example", "s", List.of("m"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
  }

  @Test
  void nameLongerThan128IsRefused() {
    assertThat(spec("n".repeat(128), "openai", "https://x.example", "s", List.of("m"), 1).name()).hasSize(128);
    assertThatThrownBy(() -> spec("n".repeat(129), "openai", "https://x.example", "s", List.of("m"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128");
  }

  @Test
  void typeIsRequired() {
    assertThatThrownBy(() -> spec("n", " ", "https://x.example", "s", List.of("m"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "api.openai.com/v1", "ftp://x.example", "https://", "http:///v1", "https://exa mple.com", "mailto:a@b.c"})
  void baseUrlMustBeHttpWithAHost(String baseUrl) {
    assertThatThrownBy(() -> spec("n", "openai", baseUrl, "s", List.of("m"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base URL");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void providerKeyIsRequired(String secret) {
    assertThatThrownBy(() -> spec("n", "openai", "https://x.example", secret, List.of("m"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
  }

  @Test
  void atLeastOneNonBlankModelIsRequired() {
    assertThatThrownBy(() -> spec("n", "openai", "https://x.example", "s", null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> spec("n", "openai", "https://x.example", "s", Arrays.asList(" ", ""), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
  }

  @Test
  void modelNamesWithCommasAreRefused() {
    assertThatThrownBy(() -> spec("n", "openai", "https://x.example", "s", List.of("a,b"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comma");
  }

  @Test
  void weightBelowOneIsRefused() {
    assertThatThrownBy(() -> spec("n", "openai", "https://x.example", "s", List.of("m"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight");
  }

  private static ChannelSpec.Builder validBuilder() {
    return valid().toBuilder();
  }

  @Test
  void newerSettingsDefaultToNothingSpecialAndTheDefaultGroup() {
    ChannelSpec spec = valid();

    assertThat(spec.secrets()).containsExactly("sk-x");
    assertThat(spec.paramOverrides()).isSameAs(ParamOverrides.NONE);
    assertThat(spec.extraHeaders()).isEmpty();
    assertThat(spec.timeouts()).isEqualTo(ChannelTimeouts.NONE);
    assertThat(spec.groups()).containsExactly("default");
  }

  @Test
  void severalKeysAreTrimmedAndBlankOnesDropped() {
    ChannelSpec spec = validBuilder().secrets(Arrays.asList(" sk-a ", "", null, "sk-b")).build();

    assertThat(spec.secrets()).containsExactly("sk-a", "sk-b");
    assertThatThrownBy(() -> validBuilder().secrets(List.of(" ", "")).build()).hasMessageContaining("key");
  }

  @Test
  void groupsAreTrimmedDedupedAndCommaFree() {
    assertThat(validBuilder().groups(List.of(" vip ", "default", "vip")).build().groups()).containsExactly("vip", "default");
    assertThat(validBuilder().groups(List.of(" ")).build().groups()).containsExactly("default");
    assertThatThrownBy(() -> validBuilder().groups(List.of("a,b")).build()).hasMessageContaining("comma");
  }

  @Test
  void extraHeadersCannotCarryCredentialsOrFraming() {
    assertThat(validBuilder().extraHeaders(Map.of("OpenAI-Organization", "org-1", "HTTP-Referer", "https://a.example"))
        .build().extraHeaders()).containsEntry("OpenAI-Organization", "org-1");
    for (String refused : List.of("Authorization", "x-api-key", "API-Key", "x-goog-api-key", "Host", "Content-Length")) {
      assertThatThrownBy(() -> validBuilder().extraHeaders(Map.of(refused, "v")).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(refused);
    }
    assertThatThrownBy(() -> validBuilder().extraHeaders(Map.of("X-A", "v\r\nInjected: 1")).build())
        .hasMessageContaining("line break");
    assertThatThrownBy(() -> validBuilder().extraHeaders(Map.of("bad name", "v")).build())
        .hasMessageContaining("not a valid header name");
  }

  @Test
  void timeoutsArePositiveOrUnset() {
    assertThat(new ChannelTimeouts(null, 5_000, null).isNone()).isFalse();
    assertThatThrownBy(() -> new ChannelTimeouts(0, null, null)).hasMessageContaining("connect");
    assertThatThrownBy(() -> new ChannelTimeouts(null, -1, null)).hasMessageContaining("first-byte");
  }

  @Test
  void printsNoKey() {
    assertThat(valid().toString()).doesNotContain("sk-x");
  }
}

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
}

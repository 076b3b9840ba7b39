package dev.tollgate.provider;

import dev.tollgate.provider.anthropic.AnthropicProvider;
import dev.tollgate.provider.azure.AzureOpenAiProvider;
import dev.tollgate.provider.gemini.GeminiProvider;
import dev.tollgate.provider.openai.OpenAiProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The known upstream kinds, by name. */
public final class Providers {

  private final Map<String, Provider> byKind;

  public Providers(List<Provider> providers) {
    this.byKind = providers.stream().collect(Collectors.toUnmodifiableMap(Provider::kind, Function.identity()));
  }

  public static Providers builtIn() {
    return new Providers(List.of(new OpenAiProvider(), new AzureOpenAiProvider(), new AnthropicProvider(), new GeminiProvider()));
  }

  public Optional<Provider> find(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  public java.util.Set<String> kinds() {
    return byKind.keySet();
  }
}

package dev.tollgate.provider;

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
    // Anthropic and Gemini upstreams join once the relay converts between protocols (issue 4);
    // until then a channel of theirs could not serve the OpenAI endpoint.
    return new Providers(List.of(new OpenAiProvider()));
  }

  public Optional<Provider> find(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  public java.util.Set<String> kinds() {
    return byKind.keySet();
  }
}

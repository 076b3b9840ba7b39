package dev.tollgate.channel;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A channel as an operator defines it; validated on construction. */
public record ChannelSpec(
    String name,
    String type,
    String baseUrl,
    String secret,
    List<String> models,
    Map<String, String> modelMapping,
    int priority,
    int weight) {

  public ChannelSpec {
    if (name == null || name.isBlank() || name.length() > 128) {
      throw new IllegalArgumentException("a channel needs a name of 1 to 128 characters");
    }
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("a channel needs a type");
    }
    requireHttpUrl(baseUrl);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("a channel needs a provider key");
    }
    models = models == null ? List.of() : models.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a channel needs at least one model");
    }
    if (models.stream().anyMatch(m -> m.contains(","))) {
      throw new IllegalArgumentException("model names cannot contain commas");
    }
    modelMapping = modelMapping == null ? Map.of() : Map.copyOf(modelMapping);
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be 1 or more");
    }
  }

  private static void requireHttpUrl(String url) {
    try {
      URI uri = URI.create(url == null ? "" : url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("base URL must be an http(s) URL with a host: " + url);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("base URL")) {
        throw e;
      }
      throw new IllegalArgumentException("base URL is not a valid URL: " + url, e);
    }
  }
}

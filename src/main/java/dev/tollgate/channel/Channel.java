package dev.tollgate.channel;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An upstream endpoint: a provider kind, a base URL, a secret and the models it serves.
 *
 * @param secret the provider key in clear; held in memory only, never logged (see toString)
 * @param modelMapping requested model name → the name the upstream knows
 */
public record Channel(
    long id,
    String name,
    String type,
    String baseUrl,
    String secret,
    Set<String> models,
    Map<String, String> modelMapping,
    int priority,
    int weight,
    ChannelStatus status,
    Instant createdAt) {

  public Channel {
    models = Set.copyOf(models);
    modelMapping = Map.copyOf(modelMapping);
  }

  public boolean serves(String model) {
    return models.contains(model);
  }

  /** The model name to send upstream for a requested one. */
  public String upstreamModel(String requested) {
    return modelMapping.getOrDefault(requested, requested);
  }

  @Override
  public String toString() {
    return "Channel[id=" + id + ", name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", models=" + models + ", priority=" + priority + ", weight=" + weight + ", status="
        + status + ", secret=***]";
  }
}

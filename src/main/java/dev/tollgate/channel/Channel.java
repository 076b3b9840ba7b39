package dev.tollgate.channel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An upstream endpoint: a provider kind, a base URL, its keys and the models it serves, with how
 * requests to it are shaped (parameter overrides, extra headers, timeouts) and the caller groups
 * it serves.
 *
 * @param secrets the provider keys in clear; held in memory only, never logged (see toString)
 * @param modelMapping requested model name → the name the upstream knows
 */
public record Channel(
    long id,
    String name,
    String type,
    String baseUrl,
    ChannelSecrets secrets,
    Set<String> models,
    Map<String, String> modelMapping,
    int priority,
    int weight,
    ParamOverrides paramOverrides,
    Map<String, String> extraHeaders,
    ChannelTimeouts timeouts,
    Set<String> groups,
    ChannelStatus status,
    Instant createdAt) {

  public Channel {
    models = Set.copyOf(models);
    modelMapping = Map.copyOf(modelMapping);
    extraHeaders = Map.copyOf(extraHeaders);
    groups = Set.copyOf(groups);
  }

  public boolean serves(String model) {
    return models.contains(model);
  }

  /** The model name to send upstream for a requested one. */
  public String upstreamModel(String requested) {
    return modelMapping.getOrDefault(requested, requested);
  }

  /** The provider key for the next request (round-robin over the channel's keys). */
  public String nextSecret() {
    return secrets.next();
  }

  /**
   * This channel with a user's own provider key (BYOK) instead of its keys, and their base URL
   * when they gave one: same models, mapping, shaping and timeouts.
   */
  public Channel withOwnKey(String secret, String ownBaseUrl) {
    return new Channel(id, name, type, ownBaseUrl == null ? baseUrl : ownBaseUrl, new ChannelSecrets(List.of(secret)),
        models, modelMapping, priority, weight, paramOverrides, extraHeaders, timeouts, groups, status, createdAt);
  }

  /** The settings this channel was made from, to change some of them. */
  public ChannelSpec toSpec() {
    return new ChannelSpec(name, type, baseUrl, secrets.all(), models.stream().sorted().toList(), modelMapping,
        priority, weight, paramOverrides, extraHeaders, timeouts, groups.stream().sorted().toList());
  }

  /** The models sorted, for showing and for choosing one predictably. */
  public List<String> sortedModels() {
    return models.stream().sorted().toList();
  }

  @Override
  public String toString() {
    return "Channel[id=" + id + ", name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", models=" + models + ", priority=" + priority + ", weight=" + weight + ", groups=" + groups
        + ", status=" + status + ", secrets=***]";
  }
}

package dev.tollgate.channel;

import dev.tollgate.account.Group;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A channel as an operator defines it; validated on construction.
 *
 * @param secrets the provider keys, used round-robin (see {@link ChannelSecrets})
 * @param paramOverrides members forced into every upstream request body
 * @param extraHeaders headers added to every upstream request (never the credentials)
 * @param timeouts the channel's own upstream timeouts; unset ones are the global ones
 * @param groups the caller groups the channel serves (a key is routed only to channels of its group)
 */
public record ChannelSpec(
    String name,
    String type,
    String baseUrl,
    List<String> secrets,
    List<String> models,
    Map<String, String> modelMapping,
    int priority,
    int weight,
    ParamOverrides paramOverrides,
    Map<String, String> extraHeaders,
    ChannelTimeouts timeouts,
    List<String> groups) {

  /** Channels serve the group every key belongs to until keys get groups of their own. */
  public static final List<String> DEFAULT_GROUPS = List.of(Group.DEFAULT);

  public ChannelSpec {
    if (name == null || name.isBlank() || name.length() > 128) {
      throw new IllegalArgumentException("a channel needs a name of 1 to 128 characters");
    }
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("a channel needs a type");
    }
    requireHttpUrl(baseUrl);
    if (secrets == null || secrets.isEmpty() || secrets.stream().allMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("a channel needs a provider key");
    }
    secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
    models = names(models, "model");
    if (models.isEmpty()) {
      throw new IllegalArgumentException("a channel needs at least one model");
    }
    modelMapping = modelMapping == null ? Map.of() : Map.copyOf(modelMapping);
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be 1 or more");
    }
    paramOverrides = paramOverrides == null ? ParamOverrides.NONE : paramOverrides;
    extraHeaders = ExtraHeaders.validated(extraHeaders);
    timeouts = timeouts == null ? ChannelTimeouts.NONE : timeouts;
    groups = names(groups, "group");
    if (groups.isEmpty()) {
      groups = DEFAULT_GROUPS;
    }
  }

  /** A channel with one key and every newer setting at its default. */
  public ChannelSpec(
      String name, String type, String baseUrl, String secret, List<String> models, Map<String, String> modelMapping,
      int priority, int weight) {
    this(name, type, baseUrl, secret == null ? null : java.util.Collections.singletonList(secret), models, modelMapping,
        priority, weight, null, null, null, null);
  }

  /** Trimmed, blanks and duplicates dropped; commas refused (the names are stored comma-separated). */
  private static List<String> names(List<String> given, String what) {
    List<String> names = given == null
        ? List.of()
        : given.stream().filter(n -> n != null).map(String::trim).filter(n -> !n.isEmpty()).distinct().toList();
    if (names.stream().anyMatch(n -> n.contains(","))) {
      throw new IllegalArgumentException(what + " names cannot contain commas");
    }
    return names;
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

  public Builder toBuilder() {
    return new Builder(this);
  }

  @Override
  public String toString() {
    return "ChannelSpec[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", models=" + models
        + ", secrets=" + secrets.size() + " hidden]";
  }

  /** Changes some settings of an existing spec (updates from the CLI). */
  public static final class Builder {
    private String name;
    private String type;
    private String baseUrl;
    private List<String> secrets;
    private List<String> models;
    private Map<String, String> modelMapping;
    private int priority;
    private int weight;
    private ParamOverrides paramOverrides;
    private Map<String, String> extraHeaders;
    private ChannelTimeouts timeouts;
    private List<String> groups;

    private Builder(ChannelSpec spec) {
      name = spec.name;
      type = spec.type;
      baseUrl = spec.baseUrl;
      secrets = spec.secrets;
      models = spec.models;
      modelMapping = spec.modelMapping;
      priority = spec.priority;
      weight = spec.weight;
      paramOverrides = spec.paramOverrides;
      extraHeaders = spec.extraHeaders;
      timeouts = spec.timeouts;
      groups = spec.groups;
    }

    public Builder name(String value) { name = value; return this; }
    public Builder type(String value) { type = value; return this; }
    public Builder baseUrl(String value) { baseUrl = value; return this; }
    public Builder secrets(List<String> value) { secrets = value; return this; }
    public Builder models(List<String> value) { models = value; return this; }
    public Builder modelMapping(Map<String, String> value) { modelMapping = value; return this; }
    public Builder priority(int value) { priority = value; return this; }
    public Builder weight(int value) { weight = value; return this; }
    public Builder paramOverrides(ParamOverrides value) { paramOverrides = value; return this; }
    public Builder extraHeaders(Map<String, String> value) { extraHeaders = value; return this; }
    public Builder timeouts(ChannelTimeouts value) { timeouts = value; return this; }
    public Builder groups(List<String> value) { groups = value; return this; }

    public ChannelSpec build() {
      return new ChannelSpec(name, type, baseUrl, secrets, models, modelMapping, priority, weight, paramOverrides,
          extraHeaders, timeouts, groups);
    }
  }
}

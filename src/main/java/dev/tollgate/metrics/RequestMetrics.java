package dev.tollgate.metrics;

import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.RequestObserver;
import dev.tollgate.usage.UsageRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The request meters of {@code /metrics}, fed by every metered request: requests by protocol,
 * model and outcome, latency histograms, tokens and cost by model, upstream calls and failures by
 * channel, and each called channel's circuit. Each label set's meters are made once and kept, so a
 * request costs a map lookup or two and the increments; every event loop records into the same
 * (thread-safe) meters.
 */
public final class RequestMetrics implements RequestObserver {

  /** The model label of requests no channel served (see {@link #modelLabel}). */
  static final String OTHER_MODEL = "other";

  private final MeterRegistry registry;
  private final ChannelHealth health;
  /** Read-only after construction: one map of model label → meters per protocol. */
  private final Map<WireProtocol, Map<String, EndpointMeters>> endpoints;
  private final Map<WireProtocol, String> protocolLabels;
  private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
  private final Map<Long, ChannelMeters> channels = new ConcurrentHashMap<>();

  public RequestMetrics(MeterRegistry registry, ChannelHealth health) {
    this.registry = registry;
    this.health = health;
    EnumMap<WireProtocol, Map<String, EndpointMeters>> byProtocol = new EnumMap<>(WireProtocol.class);
    EnumMap<WireProtocol, String> labels = new EnumMap<>(WireProtocol.class);
    for (WireProtocol protocol : WireProtocol.values()) {
      byProtocol.put(protocol, new ConcurrentHashMap<>());
      labels.put(protocol, protocol.name().toLowerCase(Locale.ROOT));
    }
    this.endpoints = Collections.unmodifiableMap(byProtocol);
    this.protocolLabels = Collections.unmodifiableMap(labels);
  }

  @Override
  public void ended(WireProtocol protocol, UsageRecord record, Supplier<String> prompt) {
    String model = modelLabel(record);
    endpoint(protocol, model).record(record);
    model(model).record(record);
    for (UsageRecord.Attempt attempt : record.attempts()) {
      channel(attempt.channelId()).record(attempt);
    }
  }

  /**
   * The requested model when a channel served it, else {@link #OTHER_MODEL}. Callers may name any
   * model they like, and a label per name would let any key grow /metrics, and the scraper's
   * memory, without bound; a served model is one an operator put on a channel. Requests refused
   * before routing (unknown model, bad request, limits, quota) are counted under "other".
   */
  static String modelLabel(UsageRecord record) {
    return record.channelId() == null ? OTHER_MODEL : record.modelRequested();
  }

  // get() first: once the meters exist, no lambda and no lock (as ChannelHealth does)

  private EndpointMeters endpoint(WireProtocol protocol, String model) {
    Map<String, EndpointMeters> byModel = endpoints.get(protocol);
    EndpointMeters meters = byModel.get(model);
    return meters != null
        ? meters
        : byModel.computeIfAbsent(model, m -> new EndpointMeters(registry, protocolLabels.get(protocol), m));
  }

  private ModelMeters model(String model) {
    ModelMeters meters = models.get(model);
    return meters != null ? meters : models.computeIfAbsent(model, m -> new ModelMeters(registry, m));
  }

  private ChannelMeters channel(long channelId) {
    ChannelMeters meters = channels.get(channelId);
    return meters != null ? meters : channels.computeIfAbsent(channelId, id -> new ChannelMeters(registry, id, health));
  }
}

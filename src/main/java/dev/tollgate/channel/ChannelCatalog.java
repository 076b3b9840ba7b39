package dev.tollgate.channel;

import dev.tollgate.db.ChangeWatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The enabled channels, held in memory for the hot path, reloaded within a second of any change
 * wherever it was made ({@link ChangeWatch}).
 */
public final class ChannelCatalog implements AutoCloseable {

  private final ChannelRepository repository;
  private final ChangeWatch watch;
  private volatile Snapshot snapshot = Snapshot.of(List.of());

  public ChannelCatalog(ChannelRepository repository) {
    this.repository = repository;
    this.watch = new ChangeWatch("channel", repository::changeStamp, this::load);
  }

  /** Loads now, then keeps watching every {@code pollMillis}. */
  public ChannelCatalog start(long pollMillis) {
    watch.start(pollMillis);
    return this;
  }

  /** Reloads at once; for changes made through this process. */
  public void reload() {
    watch.reload();
  }

  private void load() {
    snapshot = Snapshot.of(repository.listVisible().stream().filter(c -> c.status() == ChannelStatus.ENABLED).toList());
  }

  /** Enabled channels serving the model to the caller group, highest priority first. */
  public List<Channel> channelsFor(String model, String group) {
    return snapshot.byGroup().getOrDefault(group, Map.of()).getOrDefault(model, List.of());
  }

  /** The enabled channel with this id, if there is one. */
  public Optional<Channel> enabled(long id) {
    return snapshot.channels().stream().filter(c -> c.id() == id).findFirst();
  }

  /** Every model some enabled channel serves to the caller group, sorted. */
  public Set<String> models(String group) {
    return snapshot.byGroup().getOrDefault(group, Map.of()).keySet();
  }

  @Override
  public void close() {
    watch.close();
  }

  /**
   * Every enabled channel, and caller group → model → the channels serving it, highest priority
   * first (ties by id).
   */
  private record Snapshot(List<Channel> channels, Map<String, Map<String, List<Channel>>> byGroup) {
    static Snapshot of(List<Channel> channels) {
      Map<String, Map<String, List<Channel>>> byGroup = new HashMap<>();
      for (Channel channel : channels) {
        for (String group : channel.groups()) {
          Map<String, List<Channel>> byModel = byGroup.computeIfAbsent(group, g -> new TreeMap<>());
          for (String model : channel.models()) {
            byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(channel);
          }
        }
      }
      Comparator<Channel> order = Comparator.comparingInt(Channel::priority).reversed().thenComparingLong(Channel::id);
      Map<String, Map<String, List<Channel>>> frozen = new HashMap<>();
      byGroup.forEach((group, byModel) -> {
        byModel.replaceAll((model, list) -> list.stream().sorted(order).toList());
        frozen.put(group, Collections.unmodifiableMap(byModel));
      });
      return new Snapshot(List.copyOf(channels), Map.copyOf(frozen));
    }
  }
}

package dev.tollgate.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enabled channels, held in memory for the hot path. A background poll of a cheap change
 * stamp reloads them within a second of any change, wherever it was made (this process, the CLI,
 * another replica).
 */
public final class ChannelCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelCatalog.class);

  private final ChannelRepository repository;
  private final ScheduledExecutorService poller;
  private volatile Snapshot snapshot = Snapshot.of(List.of());
  private volatile String stamp = "";

  public ChannelCatalog(ChannelRepository repository) {
    this.repository = repository;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "channel-catalog");
              thread.setDaemon(true);
              return thread;
            });
  }

  private boolean failing; // touched by the poller thread only

  /** Loads now, then keeps watching every {@code pollMillis}. */
  public ChannelCatalog start(long pollMillis) {
    reload();
    poller.scheduleWithFixedDelay(this::reloadIfChanged, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reloads at once; for changes made through this process. */
  public synchronized void reload() {
    stamp = repository.changeStamp();
    snapshot = Snapshot.of(repository.listVisible().stream().filter(c -> c.status() == ChannelStatus.ENABLED).toList());
  }

  private void reloadIfChanged() {
    try {
      if (!repository.changeStamp().equals(stamp)) {
        reload();
      }
      if (failing) {
        failing = false;
        LOG.info("channel reload works again");
      }
    } catch (RuntimeException e) {
      // Once per outage, not once a second: the database monitor reports the outage itself.
      if (!failing) {
        failing = true;
        LOG.warn("channel reload failed; serving the previous set until it works: {}", e.getMessage());
      }
    }
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
    poller.shutdownNow();
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

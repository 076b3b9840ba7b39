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

  /** Enabled channels serving the model, highest priority first. */
  public List<Channel> channelsFor(String model) {
    return snapshot.byModel().getOrDefault(model, List.of());
  }

  /** The enabled channel with this id, if there is one. */
  public Optional<Channel> enabled(long id) {
    return snapshot.channels().stream().filter(c -> c.id() == id).findFirst();
  }

  /** Every model some enabled channel serves, sorted. */
  public Set<String> models() {
    return snapshot.byModel().keySet();
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }

  private record Snapshot(List<Channel> channels, Map<String, List<Channel>> byModel) {
    static Snapshot of(List<Channel> channels) {
      Map<String, List<Channel>> byModel = new HashMap<>();
      for (Channel channel : channels) {
        for (String model : channel.models()) {
          byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(channel);
        }
      }
      Map<String, List<Channel>> sorted = new TreeMap<>();
      byModel.forEach(
          (model, list) ->
              sorted.put(
                  model,
                  list.stream()
                      .sorted(Comparator.comparingInt(Channel::priority).reversed().thenComparingLong(Channel::id))
                      .toList()));
      return new Snapshot(List.copyOf(channels), Collections.unmodifiableMap(sorted));
    }
  }
}

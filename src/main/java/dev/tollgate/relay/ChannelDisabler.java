package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.channel.ChannelRepository;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a channel out of routing when its upstream says it cannot work (the key is refused, the
 * account is closed or has no balance): status {@code auto_disabled} with the reason, until an
 * operator enables it again. The write runs on the blocking executor, never on an event loop;
 * the catalog is reloaded at once on this node (others see it within their next poll).
 */
public final class ChannelDisabler {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelDisabler.class);

  private final ChannelRepository channels;
  private final ChannelCatalog catalog;
  private final Executor blocking;
  /** A burst of requests all refused by the same upstream writes once. */
  private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();

  public ChannelDisabler(ChannelRepository channels, ChannelCatalog catalog, Executor blocking) {
    this.channels = channels;
    this.catalog = catalog;
    this.blocking = blocking;
  }

  void disable(Channel channel, String reason) {
    if (!inProgress.add(channel.id())) {
      return;
    }
    blocking.execute(() -> {
      try {
        if (channels.autoDisable(channel.id(), reason)) {
          LOG.warn("channel {} '{}' disabled: {}; `tollgate admin channel enable {}` puts it back",
              channel.id(), channel.name(), reason, channel.id());
        }
        catalog.reload();
      } catch (RuntimeException e) {
        LOG.error("channel {} should be disabled ({}) but the database refused: {}", channel.id(), reason, e.getMessage());
      } finally {
        inProgress.remove(channel.id());
      }
    });
  }
}

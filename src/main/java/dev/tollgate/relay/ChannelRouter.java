package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Orders the channels that serve a model into the sequence to try: highest priority group first,
 * and inside a group a weighted random order (so weight sets the share of first attempts).
 * Channels whose circuit is open are passed over later, by {@link Attempts}: dropping some
 * channels from a weighted random order leaves a weighted random order of the others.
 */
public final class ChannelRouter {

  private final Function<String, List<Channel>> channelsByPriority;
  private final Supplier<RandomGenerator> random;

  public ChannelRouter(ChannelCatalog catalog) {
    this(catalog::channelsFor, ThreadLocalRandom::current);
  }

  /**
   * @param channelsByPriority the enabled channels serving a model, highest priority first
   * @param random the random source of the current thread (tests pass a seeded one)
   */
  ChannelRouter(Function<String, List<Channel>> channelsByPriority, Supplier<RandomGenerator> random) {
    this.channelsByPriority = channelsByPriority;
    this.random = random;
  }

  public List<Channel> candidates(String model) {
    List<Channel> byPriority = channelsByPriority.apply(model);
    if (byPriority.size() <= 1) {
      return byPriority;
    }
    RandomGenerator generator = random.get();
    List<Channel> ordered = new ArrayList<>(byPriority.size());
    int i = 0;
    while (i < byPriority.size()) {
      int priority = byPriority.get(i).priority();
      List<Channel> group = new ArrayList<>();
      while (i < byPriority.size() && byPriority.get(i).priority() == priority) {
        group.add(byPriority.get(i++));
      }
      weightedShuffleInto(group, ordered, generator);
    }
    return ordered;
  }

  private static void weightedShuffleInto(List<Channel> group, List<Channel> out, RandomGenerator random) {
    while (!group.isEmpty()) {
      long total = 0;
      for (Channel c : group) {
        total += c.weight();
      }
      long pick = random.nextLong(total);
      int chosen = 0;
      for (int j = 0; j < group.size(); j++) {
        pick -= group.get(j).weight();
        if (pick < 0) {
          chosen = j;
          break;
        }
      }
      out.add(group.remove(chosen));
    }
  }
}

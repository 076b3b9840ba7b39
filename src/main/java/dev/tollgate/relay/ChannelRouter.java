package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Orders the channels that serve a model into the sequence to try: highest priority group first,
 * and inside a group a weighted random order (so weight sets the share of first attempts). Only
 * channels serving the caller's group are considered; every key is in the default group until
 * keys get groups of their own ({@link dev.tollgate.account.ApiKey#group}). Channels whose circuit
 * is open are passed over later, by {@link Attempts}: dropping some channels from a weighted
 * random order leaves a weighted random order of the others.
 */
public final class ChannelRouter {

  private final BiFunction<String, String, List<Channel>> channelsByPriority;
  private final Supplier<RandomGenerator> random;

  public ChannelRouter(ChannelCatalog catalog) {
    this(catalog::channelsFor, ThreadLocalRandom::current);
  }

  /**
   * @param channelsByPriority the enabled channels serving (model, caller group), highest
   *     priority first
   * @param random the random source of the current thread (tests pass a seeded one)
   */
  ChannelRouter(BiFunction<String, String, List<Channel>> channelsByPriority, Supplier<RandomGenerator> random) {
    this.channelsByPriority = channelsByPriority;
    this.random = random;
  }

  public List<Channel> candidates(String model, String group) {
    List<Channel> byPriority = channelsByPriority.apply(model, group);
    if (byPriority.size() <= 1) {
      return byPriority;
    }
    RandomGenerator generator = random.get();
    List<Channel> ordered = new ArrayList<>(byPriority.size());
    int i = 0;
    while (i < byPriority.size()) {
      int priority = byPriority.get(i).priority();
      List<Channel> samePriority = new ArrayList<>();
      while (i < byPriority.size() && byPriority.get(i).priority() == priority) {
        samePriority.add(byPriority.get(i++));
      }
      weightedShuffleInto(samePriority, ordered, generator);
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

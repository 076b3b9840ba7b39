package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.channel.ChannelRepository;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.SecretBox;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.db.Sql;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog is read from a throw-away database: the router sees what production sees. */
@UsesDatabase
class ChannelRouterTest {

  @TempDir Path dir;

  private TestDatabase.Scratch scratch;
  private Database database;
  private ChannelRepository channels;
  private ChannelCatalog catalog;
  private ChannelRouter router;

  @BeforeEach
  void openStore() {
    scratch = TestDatabase.selected().create(dir);
    TollgateConfig config = new ConfigLoader().load(null, Map.of(
        "TOLLGATE_DATABASE_URL", scratch.url(),
        "TOLLGATE_DATA_DIR", dir.toString()));
    database = Database.open(config);
    channels = new ChannelRepository(new Sql(database.dataSource()), new SecretBox(new byte[32]), Clock.systemUTC());
    catalog = new ChannelCatalog(channels);
    router = new ChannelRouter(catalog);
  }

  @AfterEach
  void closeStore() {
    catalog.close();
    database.close();
    scratch.close();
  }

  private void channel(String name, int priority, int weight, String... models) {
    channels.insert(new ChannelSpec(name, "openai", "https://" + name + ".example/v1", "sk-" + name, List.of(models), Map.of(), priority, weight));
  }

  private static List<String> names(List<Channel> candidates) {
    return candidates.stream().map(Channel::name).toList();
  }

  @Test
  void unknownModelHasNoCandidates() {
    channel("a", 0, 1, "gpt-4o");
    catalog.reload();

    assertThat(router.candidates("claude-sonnet", "default")).isEmpty();
  }

  @Test
  void onlyChannelsServingTheModelAreCandidates() {
    channel("a", 0, 1, "gpt-4o", "gpt-4o-mini");
    channel("b", 0, 1, "gpt-4o-mini");
    catalog.reload();

    assertThat(names(router.candidates("gpt-4o", "default"))).containsExactly("a");
    assertThat(names(router.candidates("gpt-4o-mini", "default"))).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void priorityGroupsAreStrictlyOrderedWhateverTheWeights() {
    channel("low", 0, 1000, "m");
    channel("high-1", 10, 1, "m");
    channel("mid", 5, 1000, "m");
    channel("high-2", 10, 5, "m");
    channel("negative", -3, 1000, "m");
    catalog.reload();

    for (int draw = 0; draw < 2000; draw++) {
      List<String> order = names(router.candidates("m", "default"));

      assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("high-1", "high-2");
      assertThat(order.subList(2, 5)).containsExactly("mid", "low", "negative");
    }
  }

  @Test
  void everyCandidateIsTriedExactlyOnce() {
    for (int i = 0; i < 6; i++) {
      channel("c" + i, i % 2, i + 1, "m");
    }
    catalog.reload();

    for (int draw = 0; draw < 500; draw++) {
      assertThat(names(router.candidates("m", "default"))).hasSize(6).doesNotHaveDuplicates();
    }
  }

  @Test
  void weightsSetTheShareOfFirstAttempts() {
    channel("light", 0, 1, "m");
    channel("heavy", 0, 3, "m");
    catalog.reload();
    int draws = 4000;
    Map<String, Integer> first = new HashMap<>();

    for (int draw = 0; draw < draws; draw++) {
      first.merge(router.candidates("m", "default").getFirst().name(), 1, Integer::sum);
    }

    assertThat(first.getOrDefault("light", 0) / (double) draws).isCloseTo(0.25, within(0.05));
    assertThat(first.getOrDefault("heavy", 0) / (double) draws).isCloseTo(0.75, within(0.05));
  }

  @Test
  void weightsAreRespectedWithinEachPriorityGroupSeparately() {
    channel("top-a", 2, 1, "m");
    channel("top-b", 2, 1, "m");
    channel("fallback-a", 1, 1, "m");
    channel("fallback-b", 1, 4, "m");
    catalog.reload();
    int draws = 4000;
    Map<String, Integer> firstOfFallback = new HashMap<>();
    Map<String, Integer> firstOfTop = new HashMap<>();

    for (int draw = 0; draw < draws; draw++) {
      List<Channel> order = router.candidates("m", "default");
      firstOfTop.merge(order.get(0).name(), 1, Integer::sum);
      firstOfFallback.merge(order.get(2).name(), 1, Integer::sum);
    }

    assertThat(firstOfTop.getOrDefault("top-a", 0) / (double) draws).isCloseTo(0.5, within(0.05));
    assertThat(firstOfFallback.getOrDefault("fallback-b", 0) / (double) draws).isCloseTo(0.8, within(0.05));
  }

  @Test
  void singleChannelIsReturnedAsIs() {
    channel("only", 0, 1, "m");
    catalog.reload();

    assertThat(names(router.candidates("m", "default"))).containsExactly("only");
  }

  @Test
  void onlyChannelsServingTheCallersGroupAreCandidates() {
    channel("everyone", 0, 1, "m");
    channels.insert(new ChannelSpec("vip-only", "openai", "https://vip.example/v1", List.of("sk-vip"), List.of("m", "vip-model"),
        Map.of(), 5, 1, null, null, null, List.of("vip")));
    channels.insert(new ChannelSpec("both", "openai", "https://both.example/v1", List.of("sk-both"), List.of("m"),
        Map.of(), 1, 1, null, null, null, List.of("vip", "default")));
    catalog.reload();

    assertThat(names(router.candidates("m", "default"))).containsExactly("both", "everyone");
    assertThat(names(router.candidates("m", "vip"))).containsExactly("vip-only", "both");
    assertThat(router.candidates("vip-model", "default")).isEmpty();
    assertThat(catalog.models("default")).containsExactly("m");
    assertThat(catalog.models("vip")).containsExactly("m", "vip-model");
  }
}

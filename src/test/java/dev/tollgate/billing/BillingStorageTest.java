package dev.tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.account.AccountProblem;
import dev.tollgate.account.Group;
import dev.tollgate.account.Role;
import dev.tollgate.account.User;
import dev.tollgate.account.UserRepository;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prices and redemption codes over the real database (run on SQLite, PostgreSQL and MariaDB). */
@UsesDatabase
class BillingStorageTest {

  @TempDir Path dir;

  private TestDatabase.Scratch scratch;
  private Database database;
  private Sql sql;
  private UserRepository users;

  @BeforeEach
  void open() {
    scratch = TestDatabase.selected().create(dir);
    TollgateConfig config = TestGateway.config(dir, scratch.url(), 1_000, 1_000);
    database = Database.open(config);
    sql = new Sql(database.dataSource());
    users = new UserRepository(sql, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    database.close();
    scratch.close();
  }

  private User user(String name) {
    return users.insert(new UserRepository.NewUser(name, null, null, "$argon2id$not-used-here", Role.USER,
        Group.DEFAULT, name.toUpperCase() + "CODE", null));
  }

  @Test
  void pricesRoundTripAndThePriceBookServesThemWithFreePatterns() {
    PriceRepository prices = new PriceRepository(sql, Clock.systemUTC());
    ModelPrice full = new ModelPrice("gpt-x", 250_000_000L, 1_000_000_000L, 125_000_000L, 4_000_000L, 10_000L, 1_500_000_000L);
    assertThat(prices.put(full)).isTrue();
    assertThat(prices.put(ModelPrice.tokens("claude-y", Long.MAX_VALUE, 0))).isTrue();
    assertThat(prices.find("gpt-x")).contains(full);

    ModelPrice changed = ModelPrice.tokens("gpt-x", 1, 2);
    assertThat(prices.put(changed)).as("a second put updates").isFalse();
    assertThat(prices.list()).containsExactly(ModelPrice.tokens("claude-y", Long.MAX_VALUE, 0), changed);

    try (PriceBook book = new PriceBook(prices, List.of("local-*", "exact"))) {
      book.start(60_000);
      assertThat(book.pricing("gpt-x")).isEqualTo(new PriceBook.Priced(changed));
      assertThat(book.pricing("local-llama")).isInstanceOf(PriceBook.Free.class);
      assertThat(book.pricing("exact")).isInstanceOf(PriceBook.Free.class);
      assertThat(book.pricing("exact2")).isInstanceOf(PriceBook.Unpriced.class);
      assertThat(book.pricing("other")).isInstanceOf(PriceBook.Unpriced.class);

      prices.put(ModelPrice.tokens("local-paid", 5, 5));
      assertThat(prices.delete("claude-y")).isTrue();
      book.reload();
      assertThat(book.pricing("local-paid")).as("a price wins over a free pattern").isInstanceOf(PriceBook.Priced.class);
      assertThat(book.pricing("claude-y")).isInstanceOf(PriceBook.Unpriced.class);
    }
  }

  @Test
  void aCodeCreditsItsAmountOnceWithAJournalLine() {
    Redemptions redemptions = new Redemptions(new RedemptionRepository(sql, Clock.systemUTC()));
    User ann = user("ann");
    User bob = user("bob");
    Redemptions.Batch batch = redemptions.create("launch", 500_000_000L, 2, null);
    assertThat(batch.codes()).hasSize(2).allMatch(code -> code.startsWith("tgr-")).doesNotHaveDuplicates();

    RedemptionCode redeemed = redemptions.redeem(batch.codes().get(0), ann.id());
    assertThat(redeemed.redeemedBy()).isEqualTo(ann.id());
    assertThat(redeemed.status()).isEqualTo(RedemptionCode.Status.REDEEMED);
    assertThat(users.findById(ann.id()).orElseThrow().quota()).isEqualTo(500_000_000L);
    assertThat(users.quotaJournal(ann.id(), 10)).singleElement()
        .satisfies(line -> {
          assertThat(line.kind()).isEqualTo("topup");
          assertThat(line.amount()).isEqualTo(500_000_000L);
          assertThat(line.reason()).contains("launch").doesNotContain(batch.codes().get(0));
        });

    assertThatThrownBy(() -> redemptions.redeem(batch.codes().get(0), bob.id()))
        .isInstanceOfSatisfying(AccountProblem.class, p -> assertThat(p.kind()).isEqualTo(AccountProblem.Kind.CONFLICT));
    assertThatThrownBy(() -> redemptions.redeem("tgr-nope", bob.id()))
        .isInstanceOfSatisfying(AccountProblem.class, p -> assertThat(p.kind()).isEqualTo(AccountProblem.Kind.NOT_FOUND));
    assertThat(users.findById(bob.id()).orElseThrow().quota()).isZero();
  }

  @Test
  void aDisabledCodeCannotBeRedeemed() {
    RedemptionRepository repository = new RedemptionRepository(sql, Clock.systemUTC());
    Redemptions redemptions = new Redemptions(repository);
    User ann = user("ann");
    String code = redemptions.create("b", 1, 1, null).codes().get(0);
    long id = repository.list("b", 0, 10).get(0).id();

    assertThat(repository.disable(id)).isTrue();
    assertThatThrownBy(() -> redemptions.redeem(code, ann.id())).hasMessageContaining("disabled");
    assertThat(repository.disable(id)).as("only unused codes are disabled").isFalse();
  }

  @Test
  void concurrentRedemptionsOfOneCodeHaveExactlyOneWinner() throws Exception {
    Redemptions redemptions = new Redemptions(new RedemptionRepository(sql, Clock.systemUTC()));
    List<User> racers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racers.add(user("racer" + i));
    }
    String code = redemptions.create("race", 100_000_000L, 1, null).codes().get(0);
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (User racer : racers) {
      attempts.add(pool.submit(() -> {
        start.await();
        try {
          redemptions.redeem(code, racer.id());
          return true;
        } catch (AccountProblem refused) {
          return false;
        }
      }));
    }
    start.countDown();
    int winners = 0;
    for (Future<Boolean> attempt : attempts) {
      winners += attempt.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(winners).isEqualTo(1);
    long credited = racers.stream().mapToLong(r -> users.findById(r.id()).orElseThrow().quota()).sum();
    assertThat(credited).isEqualTo(100_000_000L);
    long journalLines = racers.stream().mapToLong(r -> users.quotaJournal(r.id(), 10).size()).sum();
    assertThat(journalLines).isEqualTo(1);
  }

  @Test
  void batchesAreValidated() {
    Redemptions redemptions = new Redemptions(new RedemptionRepository(sql, Clock.systemUTC()));
    assertThatThrownBy(() -> redemptions.create("", 1, 1, null)).hasMessageContaining("'name'");
    assertThatThrownBy(() -> redemptions.create("x", 0, 1, null)).hasMessageContaining("'amount'");
    assertThatThrownBy(() -> redemptions.create("x", 1, 1_001, null)).hasMessageContaining("'count'");
  }
}

package dev.tollgate.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import dev.tollgate.testing.TestDatabase;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.sql.DataSource;

/** The key cache over a real database, on a clock the test moves (no sleeps). */
@UsesDatabase
class KeyAuthenticatorTest {

  @TempDir Path dir;

  private TestDatabase.Scratch scratch;
  private Database database;
  private KeyService keys;
  private ApiKeyRepository repository;
  private UserRepository users;
  private User owner;
  private long nowMillis = 1_800_000_000_000L;
  private boolean databaseUp = true;
  private KeyAuthenticator authenticator;

  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(nowMillis);
    }
  };

  @BeforeEach
  void open() {
    scratch = TestDatabase.selected().create(dir);
    TollgateConfig config = TestGateway.config(dir, scratch.url(), 1_000, 1_000);
    database = Database.open(config);
    Sql sql = new Sql(new SwitchableDataSource(database.dataSource()));
    repository = new ApiKeyRepository(sql, clock);
    users = new UserRepository(sql, clock);
    owner = users.insert(new UserRepository.NewUser("owner", null, null, "$argon2id$not-used-here", Role.USER,
        Group.DEFAULT, "OWNERCODE1", null));
    keys = new KeyService(repository, "sk-");
    authenticator = new KeyAuthenticator(new StoredCallers(repository, users, new GroupRepository(sql, clock),
        new ProviderKeyRepository(sql, new dev.tollgate.config.SecretBox(new byte[32]), clock)),
        Runnable::run, () -> databaseUp, clock,
        () -> TimeUnit.MILLISECONDS.toNanos(nowMillis), Duration.ofSeconds(60));
  }

  @AfterEach
  void close() {
    database.close();
    scratch.close();
  }

  /** The real database, which refuses connections while the test says it is down. */
  private final class SwitchableDataSource implements DataSource {
    private final DataSource real;

    SwitchableDataSource(DataSource real) {
      this.real = real;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (!databaseUp) {
        throw new SQLTransientConnectionException("connection refused (test outage)");
      }
      return real.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return real.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return real.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return real.isWrapperFor(type);
    }
  }

  private Optional<ApiKey> find(String key) {
    return authenticator.find(key).join().map(Caller::key);
  }

  private Optional<Caller> findCaller(String key) {
    return authenticator.find(key).join();
  }

  @Test
  void aKeyDisabledElsewhereStopsWorkingWithinASecondEvenWhenIdle() {
    KeyService.CreatedKey created = keys.create(owner.id(), "k", null, null, null);
    assertThat(find(created.key())).get().extracting(ApiKey::status).isEqualTo(KeyStatus.ENABLED);

    repository.setStatus(created.stored().id(), KeyStatus.DISABLED);
    nowMillis += 5_000; // idle long past the refresh interval

    assertThat(find(created.key())).get().extracting(ApiKey::status).isEqualTo(KeyStatus.DISABLED);
  }

  @Test
  void aKeyWhoseOwnerIsDisabledElsewhereStopsBeingUsableWithinASecond() {
    String key = keys.create(owner.id(), "k", null, null, null).key();
    Instant now = Instant.ofEpochMilli(nowMillis);
    assertThat(findCaller(key)).get().matches(caller -> caller.isUsable(now));

    users.updateAdminFields(owner.id(), Role.USER, UserStatus.DISABLED, Group.DEFAULT);
    nowMillis += 1_000;

    Caller after = findCaller(key).orElseThrow();
    assertThat(after.owner().status()).isEqualTo(UserStatus.DISABLED);
    assertThat(after.isUsable(Instant.ofEpochMilli(nowMillis))).isFalse();
    assertThat(after.key().status()).as("the key itself is untouched").isEqualTo(KeyStatus.ENABLED);
  }

  @Test
  void duringAnOutageKnownKeysWorkForTheGracePeriodAndUnknownOnesFailAtOnce() {
    String known = keys.create(owner.id(), "known", null, null, null).key();
    String unseen = keys.create(owner.id(), "unseen", null, null, null).key();
    find(known);

    databaseUp = false;
    nowMillis += 30_000;
    assertThat(find(known)).as("within the grace period").isPresent();
    assertThatThrownBy(() -> find(unseen)).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KeyAuthenticator.StorageUnavailableException.class);

    nowMillis += 31_000;
    assertThatThrownBy(() -> find(known)).as("past the grace period").isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KeyAuthenticator.StorageUnavailableException.class);

    databaseUp = true;
    assertThat(find(known)).isPresent();
    assertThat(find(unseen)).isPresent();
  }
}

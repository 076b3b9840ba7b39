package dev.tollgate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.TcpProxy;
import dev.tollgate.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A database that is not there when Tollgate starts: wait for it, or fail with a clear message. */
class DatabaseStartupTest {

  @TempDir Path dir;

  private TollgateConfig config(String url, int waitSeconds) {
    return TollgateConfig.defaults().withDatabase(new TollgateConfig.Database(url, null, null, 2, 500, waitSeconds, null)).withDataDir(dir.toString());
  }

  @Test
  void aDatabaseThatNeverAnswersFailsStartUpWithAMessageAndNoPassword() {
    int closedPort = MockOpenAiUpstream.freePort();
    long started = System.currentTimeMillis();

    assertThatThrownBy(() -> Database.open(config("postgresql://tollgate:hunter2@127.0.0.1:" + closedPort + "/test", 2)))
        .isInstanceOf(Database.DatabaseUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageContaining("cannot be reached")
        .hasMessageContaining("gave up after 2 s")
        .hasMessageNotContaining("hunter2");
    assertThat(System.currentTimeMillis() - started).as("it retried for the configured time").isGreaterThanOrEqualTo(1_900);
  }

  @Test
  void serveWithoutItsDatabaseExitsWithOneClearLineNotAStackTrace() throws Exception {
    int closedPort = MockOpenAiUpstream.freePort();
    Path configFile = dir.resolve("tollgate.yaml");
    java.nio.file.Files.writeString(configFile, "data_dir: " + dir + "\ndatabase:\n  url: mysql://root:hunter2@127.0.0.1:"
        + closedPort + "/tollgate\n  startup_wait_seconds: 1\n");
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = dev.tollgate.cli.TollgateCommand.commandLine();
    cli.setErr(new java.io.PrintWriter(err));

    int exit = cli.execute("--config", configFile.toString(), "serve");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("tollgate: failed: the database jdbc:mariadb://127.0.0.1:" + closedPort)
        .contains("cannot be reached").doesNotContain("\tat ").doesNotContain("hunter2");
  }

  @Test
  void wrongCredentialsFailAtOnceInsteadOfRetrying() {
    TestDatabase.POSTGRESQL.create(dir).close(); // skips, loudly, when PostgreSQL is not running
    long started = System.currentTimeMillis();

    assertThatThrownBy(() -> Database.open(config("postgresql://no_such_role_xyz@127.0.0.1:5432/test", 30)))
        .isInstanceOf(Database.DatabaseUnavailableException.class)
        .hasMessageContaining("no_such_role_xyz");
    assertThat(System.currentTimeMillis() - started).isLessThan(10_000);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
  void startUpWaitsForADatabaseThatComesUpLate(TestDatabase kind) throws Exception {
    try (TestDatabase.Scratch scratch = kind.create(dir); TcpProxy proxy = new TcpProxy(kind.host(), kind.port())) {
      proxy.down();
      CompletableFuture<Database> opening = CompletableFuture.supplyAsync(
          () -> Database.open(config(kind.urlVia(scratch, proxy.port()), 30)));
      Thread.sleep(1_500);
      assertThat(opening).as("still waiting for the database").isNotDone();

      proxy.up();
      try (Database database = opening.get(20, TimeUnit.SECONDS)) {
        assertThat(database.isReachable(2)).isTrue();
      }
    }
  }
}

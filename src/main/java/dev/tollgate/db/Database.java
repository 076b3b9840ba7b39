package dev.tollgate.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.migration.V2__Utf8mb4Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and schema migrations. Opening it brings the schema up to date, waiting for
 * a database that does not answer yet (a container starting next to us) up to the configured time.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final long MAX_RETRY_PAUSE_MS = 5_000;

  private final HikariDataSource dataSource;
  private final DatabaseUrl url;

  private Database(HikariDataSource dataSource, DatabaseUrl url) {
    this.dataSource = dataSource;
    this.url = url;
  }

  public static Database open(TollgateConfig config) {
    return open(config, MigrationVersion.LATEST);
  }

  /** Opened with the schema brought up to {@code version} only: for tests of a later migration. */
  static Database open(TollgateConfig config, MigrationVersion version) {
    TollgateConfig.Database settings = config.database();
    DatabaseUrl url = DatabaseUrl.of(config);
    if (url.dialect() == Dialect.SQLITE) {
      createParentDirectory(url.jdbcUrl().substring("jdbc:sqlite:".length()));
    }
    HikariDataSource dataSource = new HikariDataSource(hikari(url, settings));
    try {
      migrateWhenReachable(dataSource, url, version, settings.startupWaitSeconds() * 1000L);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new Database(dataSource, url);
  }

  private static HikariConfig hikari(DatabaseUrl url, TollgateConfig.Database settings) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url.jdbcUrl());
    hikari.setPoolName("tollgate-db");
    hikari.setUsername(url.username());
    hikari.setPassword(url.password());
    hikari.setMaximumPoolSize(settings.poolSize());
    hikari.setConnectionTimeout(settings.connectTimeoutMs());
    // Start the pool even when the database is down: start-up waits for it below, with messages
    // an operator can read, instead of Hikari's exception.
    hikari.setInitializationFailTimeout(-1);
    url.dialect().configure(hikari);
    return hikari;
  }

  /**
   * Runs the migrations, retrying while the database cannot be reached. Flyway takes a
   * database-wide lock (PostgreSQL advisory lock, MariaDB GET_LOCK), so when several instances
   * start at once one migrates and the others wait, then find nothing to do.
   */
  private static void migrateWhenReachable(HikariDataSource dataSource, DatabaseUrl url, MigrationVersion version,
      long waitMs) {
    Flyway flyway = Flyway.configure()
        .target(version)
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .placeholders(url.dialect().placeholders())
        .javaMigrations(new V2__Utf8mb4Tables(url.dialect() == Dialect.MARIADB))
        .load();
    long deadline = System.currentTimeMillis() + waitMs;
    long pause = 500;
    while (true) {
      try {
        flyway.migrate();
        return;
      } catch (RuntimeException e) {
        if (!ConnectionFailures.isConnectionFailure(e)) {
          throw new DatabaseUnavailableException("migrating " + url.redacted() + " failed: " + ConnectionFailures.rootMessage(e), e);
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new DatabaseUnavailableException("the database " + url.redacted() + " cannot be reached ("
              + ConnectionFailures.rootMessage(e) + "); gave up after " + waitMs / 1000 + " s"
              + " (database.startupWaitSeconds)", e);
        }
        LOG.warn("the database {} cannot be reached ({}); retrying in {} ms", url.redacted(),
            ConnectionFailures.rootMessage(e), Math.min(pause, left));
        sleep(Math.min(pause, left));
        pause = Math.min(MAX_RETRY_PAUSE_MS, pause * 2);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseUnavailableException("interrupted while waiting for the database", e);
    }
  }

  private static void createParentDirectory(String file) {
    if (file.isBlank() || file.startsWith(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the database directory " + parent, e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return url.dialect();
  }

  /** The database's address for logs: no password. */
  public String describe() {
    return url.redacted();
  }

  /** True when the database answers a trivial query within the given seconds. */
  public boolean isReachable(int timeoutSeconds) {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(timeoutSeconds);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** The database could not be reached or migrated; the message is meant for the operator. */
  public static final class DatabaseUnavailableException extends RuntimeException {
    DatabaseUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

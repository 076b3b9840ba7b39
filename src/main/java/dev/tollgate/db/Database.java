package dev.tollgate.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.config.TollgateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool and schema migrations. Opening it brings the schema up to date. */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final Dialect dialect;

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  public static Database open(TollgateConfig config) {
    String url = config.jdbcUrl();
    Dialect dialect = Dialect.fromJdbcUrl(url);
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setPoolName("tollgate-db");
    if (config.database().username() != null) {
      hikari.setUsername(config.database().username());
    }
    if (config.database().password() != null) {
      hikari.setPassword(config.database().password());
    }
    int poolSize = config.database().poolSize() > 0 ? config.database().poolSize() : 8;
    hikari.setMaximumPoolSize(poolSize);
    hikari.setConnectionTimeout(10_000);
    if (dialect == Dialect.SQLITE) {
      createParentDirectory(url.substring("jdbc:sqlite:".length()));
      // WAL lets readers (key and channel look-ups) run while the usage writer writes; the busy
      // timeout makes the CLI, a second process, wait for the server's write lock instead of failing.
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("busy_timeout", "10000");
      hikari.addDataSourceProperty("synchronous", "NORMAL");
      hikari.addDataSourceProperty("foreign_keys", "true");
    }
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .placeholders(dialect.placeholders())
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new Database(dataSource, dialect);
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
    return dialect;
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
}

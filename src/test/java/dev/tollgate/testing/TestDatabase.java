package dev.tollgate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the suite runs against. Tests tagged {@link UsesDatabase} run once per database
 * (Maven runs them again with {@code -Dtollgate.test.database=postgresql|mariadb}); storage tests
 * iterate over all three themselves.
 *
 * <p>PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}) and MariaDB (127.0.0.1:3306,
 * root without password, database {@code test}) are this project's CI services. Every scratch
 * database gets a name of its own (a PostgreSQL schema, a MariaDB database), so concurrent runs
 * never collide, and is dropped when closed. A server that is absent — nothing listens on its
 * port — skips its tests with a reason in the report; a server that listens but refuses us fails
 * them, so CI cannot pass by skipping.
 */
public enum TestDatabase {
  SQLITE(null, 0),
  POSTGRESQL("127.0.0.1", 5432),
  MARIADB("127.0.0.1", 3306);

  public static final String PROPERTY = "tollgate.test.database";
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String host;
  private final int port;

  TestDatabase(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The database this test JVM was asked to use for {@link UsesDatabase} tests (default SQLite). */
  public static TestDatabase selected() {
    String name = System.getProperty(PROPERTY, "sqlite");
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  /** A new, empty database for one test or gateway; SQLite files go under {@code dir}. */
  public Scratch create(Path dir) {
    return switch (this) {
      case SQLITE -> new Scratch(this, "jdbc:sqlite:" + dir.resolve("tollgate.db"), null);
      case POSTGRESQL -> {
        String schema = uniqueName();
        admin("CREATE SCHEMA " + schema);
        yield new Scratch(this, "jdbc:postgresql://" + host + ":" + port + "/test?user=postgres&currentSchema=" + schema, schema);
      }
      case MARIADB -> {
        String database = uniqueName();
        // latin1, as older servers default to: the schema migration must make it utf8mb4 itself.
        admin("CREATE DATABASE " + database + " CHARACTER SET latin1");
        yield new Scratch(this, "jdbc:mariadb://" + host + ":" + port + "/" + database + "?user=root", database);
      }
    };
  }

  /** The same server on another address, e.g. a proxy in front of it (SQLite has none). */
  public String urlVia(Scratch scratch, int proxyPort) {
    return scratch.url().replace(host + ":" + port, "127.0.0.1:" + proxyPort);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  private static String uniqueName() {
    return "tg_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet() + "_"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
  }

  private void admin(String sql) {
    requireServer();
    try (Connection connection = DriverManager.getConnection(adminUrl());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(this + " listens on " + host + ":" + port + " but refused '" + sql + "': " + e.getMessage(), e);
    }
  }

  private String adminUrl() {
    return this == POSTGRESQL
        ? "jdbc:postgresql://" + host + ":" + port + "/test?user=postgres"
        : "jdbc:mariadb://" + host + ":" + port + "/test?user=root";
  }

  /** Skips (loudly) when the server is not running at all; see the class comment. */
  private void requireServer() {
    if (!listening()) {
      String reason = "SKIPPED: " + this + " is not running on " + host + ":" + port
          + "; its tests did not run (start the service to run them)";
      System.err.println("*** " + reason);
      Assumptions.abort(reason);
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** One scratch database; closing drops it. */
  public record Scratch(TestDatabase kind, String url, String name) implements AutoCloseable {
    @Override
    public void close() {
      if (name != null) {
        kind.admin(kind == POSTGRESQL ? "DROP SCHEMA IF EXISTS " + name + " CASCADE" : "DROP DATABASE IF EXISTS " + name);
      }
    }
  }
}

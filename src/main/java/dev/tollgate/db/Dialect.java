package dev.tollgate.db;

import com.zaxxer.hikari.HikariConfig;
import java.util.Map;

/**
 * Everything that differs between the supported databases, in one place. Migrations stay one set
 * of files for all three: they use {@link #placeholders} (column types); connection settings are in
 * {@link #configure}. Repository SQL is portable (plain {@code LIMIT/OFFSET}, {@code CONCAT},
 * generated keys through JDBC) and is run against all three by the test suite.
 */
public enum Dialect {
  // WITHOUT ROWID: stored in primary-key order, so reading a key range reads neighbouring pages
  // instead of one row look-up per index entry (MariaDB's InnoDB always does so; PostgreSQL has no
  // such table, and its index scans over a warm cache did not need one).
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", " WITHOUT ROWID") {
    @Override
    void configure(HikariConfig hikari) {
      // WAL lets readers (key and channel look-ups) run while the usage writer writes; the busy
      // timeout makes the CLI, a second process, wait for the server's write lock instead of failing.
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("busy_timeout", "10000");
      hikari.addDataSourceProperty("synchronous", "NORMAL");
      hikari.addDataSourceProperty("foreign_keys", "true");
      // Transactions take the write lock when they begin, so the busy timeout makes a second writer
      // wait. Deferred ones (the default) read first and fail with SQLITE_BUSY_SNAPSHOT when another
      // connection wrote meanwhile: two instances migrating one file at once hit it now and then.
      hikari.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    }
  },
  POSTGRESQL("BIGSERIAL PRIMARY KEY", "TEXT", "") {
    @Override
    void configure(HikariConfig hikari) {
      hikari.addDataSourceProperty("ApplicationName", "tollgate");
    }
  },
  MARIADB("BIGINT AUTO_INCREMENT PRIMARY KEY", "LONGTEXT", "") {
    @Override
    void configure(HikariConfig hikari) {
      // Sessions in UTC and 4-byte UTF-8, whatever the server's defaults: timestamps are epoch
      // millis anyway, and an emoji in a key name must round-trip (V2 makes the tables utf8mb4).
      hikari.setConnectionInitSql("SET NAMES utf8mb4 COLLATE utf8mb4_bin, time_zone = '+00:00'");
    }
  };

  private final String idColumn;
  private final String longText;
  private final String clusteredByKey;

  Dialect(String idColumn, String longText, String clusteredByKey) {
    this.idColumn = idColumn;
    this.longText = longText;
    this.clusteredByKey = clusteredByKey;
  }

  public static Dialect fromJdbcUrl(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    throw new IllegalArgumentException(
        "unsupported database URL (use jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:): " + DatabaseUrl.redact(url));
  }

  /** Connection settings this database needs on every pooled connection. */
  abstract void configure(HikariConfig hikari);

  Map<String, String> placeholders() {
    return Map.of("id_column", idColumn, "long_text", longText, "clustered_by_key", clusteredByKey);
  }
}

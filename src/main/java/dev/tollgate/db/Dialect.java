package dev.tollgate.db;

import java.util.Map;

/**
 * The few places where the SQL we run differs between the supported databases. Migrations stay
 * one set of files: they use these values as Flyway placeholders.
 */
public enum Dialect {
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT"),
  POSTGRESQL("BIGSERIAL PRIMARY KEY", "TEXT"),
  MARIADB("BIGINT AUTO_INCREMENT PRIMARY KEY", "LONGTEXT");

  private final String idColumn;
  private final String longText;

  Dialect(String idColumn, String longText) {
    this.idColumn = idColumn;
    this.longText = longText;
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
        "unsupported database URL (use jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:): " + url);
  }

  Map<String, String> placeholders() {
    return Map.of("id_column", idColumn, "long_text", longText);
  }
}

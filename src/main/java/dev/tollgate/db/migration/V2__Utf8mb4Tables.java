package dev.tollgate.db.migration;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 2 (Flyway reads the version from the class name), MariaDB/MySQL only: makes the database's default and every table 4-byte UTF-8 with a
 * binary collation. Servers still default to 3-byte {@code utf8} or {@code latin1} in places, which
 * would turn an emoji in a key name into '?' or an error, and the default case-insensitive
 * collations would make unique names differ in meaning from SQLite and PostgreSQL. Tables that
 * later versions create inherit the database default. A no-op on the other databases.
 */
public final class V2__Utf8mb4Tables extends BaseJavaMigration {

  private static final List<String> TABLES = List.of("channels", "api_keys", "usage_records");

  private final boolean mariaDb;

  public V2__Utf8mb4Tables(boolean mariaDb) {
    this.mariaDb = mariaDb;
  }

  @Override
  public void migrate(Context context) throws Exception {
    if (!mariaDb) {
      return;
    }
    try (Statement statement = context.getConnection().createStatement()) {
      statement.execute("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      for (String table : TABLES) {
        statement.execute("ALTER TABLE " + table + " CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      }
    }
  }
}

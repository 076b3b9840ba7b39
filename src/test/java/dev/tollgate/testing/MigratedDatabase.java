package dev.tollgate.testing;

import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.db.Sql;
import java.nio.file.Path;

/** A scratch database of the selected kind ({@link TestDatabase}), migrated and open; closing drops it. */
public final class MigratedDatabase implements AutoCloseable {

  private final TestDatabase.Scratch scratch;
  private final Database database;
  private final Sql sql;

  private MigratedDatabase(TestDatabase.Scratch scratch, Database database) {
    this.scratch = scratch;
    this.database = database;
    this.sql = new Sql(database.dataSource());
  }

  public static MigratedDatabase open(Path dir) {
    TestDatabase.Scratch scratch = TestDatabase.selected().create(dir);
    TollgateConfig config = TestGateway.config(dir, scratch.url(), 1_000, 1_000);
    return new MigratedDatabase(scratch, Database.open(config));
  }

  public Sql sql() {
    return sql;
  }

  @Override
  public void close() {
    database.close();
    scratch.close();
  }
}

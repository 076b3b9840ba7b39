package dev.tollgate.account;

import dev.tollgate.db.Sql;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** Gateway-wide values kept in the database (table {@code settings}), shared by every replica. */
public final class SettingsRepository {

  private final Sql sql;
  private final Clock clock;

  public SettingsRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  public Optional<String> find(String name) {
    return sql.one("SELECT value FROM settings WHERE name = ?", row -> row.getString(1), name);
  }

  /** Replaces a stored value. */
  public void put(String name, String value) {
    if (sql.update("UPDATE settings SET value = ?, updated_at = ? WHERE name = ?", value, clock.millis(), name) == 0) {
      sql.update("INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)", name, value, clock.millis());
    }
  }

  /**
   * The stored value, or {@code made} stored now. Replicas starting together race here: the
   * primary key lets one insert win, and every one of them reads back the winner's value.
   */
  public String findOrCreate(String name, Supplier<String> made) {
    Optional<String> existing = find(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      sql.update("INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?)", name, made.get(), clock.millis());
    } catch (Sql.DataAccessException lostTheRace) {
      // another replica inserted it first: read theirs below
    }
    return find(name).orElseThrow(() -> new IllegalStateException("setting '" + name + "' could not be stored"));
  }
}

package dev.tollgate.account;

import dev.tollgate.db.CommaList;
import dev.tollgate.db.Sql;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Storage of caller groups. Blocking JDBC: call it from worker threads, never the event loop. */
public final class GroupRepository {

  private static final String COLUMNS = "name, description, models, price_ratio";

  private final Sql sql;
  private final Clock clock;

  public GroupRepository(Sql sql, Clock clock) {
    this.sql = sql;
    this.clock = clock;
  }

  public Optional<Group> find(String name) {
    return sql.one("SELECT " + COLUMNS + " FROM user_groups WHERE name = ?", GroupRepository::map, name);
  }

  public List<Group> list() {
    return sql.list("SELECT " + COLUMNS + " FROM user_groups ORDER BY name", GroupRepository::map);
  }

  /** Creates the group or replaces its settings. */
  public Group save(Group group) {
    long now = clock.millis();
    int changed = sql.update("UPDATE user_groups SET description = ?, models = ?, price_ratio = ?, updated_at = ? WHERE name = ?",
        group.description(), CommaList.join(group.models()), group.priceRatio().toPlainString(), now, group.name());
    if (changed == 0) {
      sql.update("INSERT INTO user_groups (name, description, models, price_ratio, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          group.name(), group.description(), CommaList.join(group.models()), group.priceRatio().toPlainString(), now, now);
    }
    return find(group.name()).orElseThrow();
  }

  public boolean delete(String name) {
    return sql.update("DELETE FROM user_groups WHERE name = ?", name) == 1;
  }

  /** How many users are in the group (a group in use cannot be deleted). */
  public long members(String name) {
    return sql.one("SELECT COUNT(*) FROM users WHERE group_name = ? AND status <> ?", row -> row.getLong(1),
        name, UserStatus.DELETED.dbValue()).orElse(0L);
  }

  private static Group map(ResultSet row) throws SQLException {
    return new Group(row.getString("name"), row.getString("description"), CommaList.split(row.getString("models")),
        new BigDecimal(row.getString("price_ratio")));
  }
}

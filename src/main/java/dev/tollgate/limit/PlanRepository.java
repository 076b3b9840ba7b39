package dev.tollgate.limit;

import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Storage of plans. */
public final class PlanRepository {

  private static final String COLUMNS = "id, name, qps, rpm, tpm, max_concurrent";

  private final Sql sql;

  public PlanRepository(Sql sql) {
    this.sql = sql;
  }

  public List<Plan> list() {
    return sql.list("SELECT " + COLUMNS + " FROM plans ORDER BY id", PlanRepository::map);
  }

  public Optional<Plan> find(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM plans WHERE id = ?", PlanRepository::map, id);
  }

  /** Changes whenever a plan is added, changed or removed: cheap to poll. */
  public String changeStamp() {
    return sql.one("SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM plans",
        row -> row.getLong("n") + ":" + row.getLong("last")).orElse("0:0");
  }

  private static Plan map(ResultSet row) throws SQLException {
    return new Plan(row.getLong("id"), row.getString("name"),
        new Limits(row.getLong("qps"), row.getLong("rpm"), row.getLong("tpm"), row.getInt("max_concurrent")));
  }
}

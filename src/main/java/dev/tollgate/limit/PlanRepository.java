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

  public boolean exists(long id) {
    return find(id).isPresent();
  }

  public Optional<Plan> findByName(String name) {
    return sql.one("SELECT " + COLUMNS + " FROM plans WHERE name = ?", PlanRepository::map, name);
  }

  /** Creates the plan, or changes the limits of the plan with that name; returns it. */
  public Plan put(String name, Limits limits) {
    long now = System.currentTimeMillis();
    int changed = sql.update("UPDATE plans SET qps = ?, rpm = ?, tpm = ?, max_concurrent = ?, updated_at = ? WHERE name = ?",
        limits.qps(), limits.rpm(), limits.tpm(), limits.maxConcurrent(), now, name);
    if (changed == 0) {
      sql.insert("INSERT INTO plans (name, qps, rpm, tpm, max_concurrent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          name, limits.qps(), limits.rpm(), limits.tpm(), limits.maxConcurrent(), now, now);
    }
    return findByName(name).orElseThrow();
  }

  /** Keys and users on the plan. */
  public long members(long id) {
    return sql.one("SELECT (SELECT COUNT(*) FROM api_keys WHERE plan_id = ? AND status <> 'deleted')"
        + " + (SELECT COUNT(*) FROM users WHERE plan_id = ? AND status <> 'deleted')", row -> row.getLong(1), id, id).orElse(0L);
  }

  public boolean delete(long id) {
    return sql.update("DELETE FROM plans WHERE id = ?", id) == 1;
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

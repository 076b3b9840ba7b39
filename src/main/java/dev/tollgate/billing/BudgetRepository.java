package dev.tollgate.billing;

import dev.tollgate.db.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of budgets, and the spend they are held to (summed from the attribution rollups). */
public final class BudgetRepository {

  private static final String COLUMNS = "id, user_id, dimension, name, period, limit_cost";

  private final Sql sql;

  public BudgetRepository(Sql sql) {
    this.sql = sql;
  }

  public List<Budget> list() {
    return sql.list("SELECT " + COLUMNS + " FROM budgets ORDER BY id", BudgetRepository::map);
  }

  public List<Budget> listFor(long userId) {
    return sql.list("SELECT " + COLUMNS + " FROM budgets WHERE user_id = ? ORDER BY id", BudgetRepository::map, userId);
  }

  public Optional<Budget> find(long id) {
    return sql.one("SELECT " + COLUMNS + " FROM budgets WHERE id = ?", BudgetRepository::map, id);
  }

  public boolean exists(long userId, Budget.Dimension dimension, String name, Budget.Period period) {
    return sql.one("SELECT id FROM budgets WHERE user_id = ? AND dimension = ? AND name = ? AND period = ?",
        row -> row.getLong(1), userId, dimension.wireName(), name, period.wireName()).isPresent();
  }

  public Budget create(long userId, Budget.Dimension dimension, String name, Budget.Period period, long limit) {
    long now = System.currentTimeMillis();
    long id = sql.insert("INSERT INTO budgets (user_id, dimension, name, period, limit_cost, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", userId, dimension.wireName(), name, period.wireName(), limit, now, now);
    return find(id).orElseThrow();
  }

  public Budget changeLimit(long id, long limit) {
    sql.update("UPDATE budgets SET limit_cost = ?, updated_at = ? WHERE id = ?", limit, System.currentTimeMillis(), id);
    return find(id).orElseThrow();
  }

  public boolean delete(long id) {
    return sql.update("DELETE FROM budgets WHERE id = ?", id) == 1;
  }

  /** Changes whenever a budget is added, changed or removed: cheap to poll. */
  public String changeStamp() {
    return sql.one("SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM budgets",
        row -> row.getLong("n") + ":" + row.getLong("last")).orElse("0:0");
  }

  /** Micro-cents the budget's requests cost from {@code since} (an hour's start) on, as stored. */
  public long spentSince(Budget budget, Instant since) {
    String column = switch (budget.dimension()) {
      case WORKFLOW -> "workflow_tag";
      case PROJECT -> "project";
    };
    return sql.one("SELECT COALESCE(SUM(cost), 0) FROM attribution_rollups WHERE user_id = ? AND hour >= ? AND "
        + column + " = ?", row -> row.getLong(1), budget.userId(), since.toEpochMilli(), budget.name()).orElse(0L);
  }

  private static Budget map(ResultSet row) throws SQLException {
    return new Budget(row.getLong("id"), row.getLong("user_id"), Budget.Dimension.parse(row.getString("dimension")),
        row.getString("name"), Budget.Period.parse(row.getString("period")), row.getLong("limit_cost"));
  }
}

package dev.tollgate.usage;

import dev.tollgate.db.Sql;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost and tokens per workflow (and step within it), per execution and per project over a period,
 * from the attribution rollups. Requests that named none of them are the group with a null name,
 * so each list sums to the period's total.
 */
public final class AttributionRepository {

  /** Executions listed, the costliest first: one per run of a workflow, so they can be many. */
  public static final int MAX_EXECUTIONS = 100;

  private final Sql sql;

  public AttributionRepository(Sql sql) {
    this.sql = sql;
  }

  /** Sums of one group. Cost in micro-cents. */
  public record Sums(long requests, long promptTokens, long completionTokens, long cost) {
    Sums plus(Sums other) {
      return new Sums(requests + other.requests, promptTokens + other.promptTokens,
          completionTokens + other.completionTokens, cost + other.cost);
    }
  }

  public record Workflow(String tag, Sums sums, Map<String, Sums> steps) {}

  public record Execution(String executionId, String workflowTag, Sums sums) {}

  public record Report(Period period, Instant from, Instant to, List<Workflow> workflows, List<Execution> executions,
      Map<String, Sums> projects) {}

  /** @param userId one account's, or null for every account's */
  public Report report(Period period, Instant now, Long userId) {
    Instant from = period.start(now);
    Instant to = period.end(now);
    String user = userId == null ? "" : " AND user_id = ?";
    Object[] params = userId == null
        ? new Object[] {from.toEpochMilli(), to.toEpochMilli()}
        : new Object[] {from.toEpochMilli(), to.toEpochMilli(), userId};
    String sums = "SUM(requests) AS requests, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion,"
        + " SUM(cost) AS cost FROM attribution_rollups WHERE hour >= ? AND hour < ?" + user;

    Map<String, Workflow> workflows = new LinkedHashMap<>();
    sql.list("SELECT workflow_tag, step, " + sums + " GROUP BY workflow_tag, step ORDER BY workflow_tag, step",
        row -> {
          String tag = absent(row.getString("workflow_tag"));
          Sums step = sums(row);
          Workflow was = workflows.get(tag);
          Map<String, Sums> steps = was == null ? new LinkedHashMap<>() : was.steps();
          steps.put(absent(row.getString("step")), step);
          workflows.put(tag, new Workflow(tag, was == null ? step : was.sums().plus(step), steps));
          return null;
        }, params);
    List<Execution> executions = sql.list(
        "SELECT workflow_tag, execution_id, " + sums + " AND execution_id <> '' GROUP BY workflow_tag, execution_id"
            + " ORDER BY SUM(cost) DESC, execution_id LIMIT " + MAX_EXECUTIONS,
        row -> new Execution(row.getString("execution_id"), absent(row.getString("workflow_tag")), sums(row)), params);
    Map<String, Sums> projects = new LinkedHashMap<>();
    sql.list("SELECT project, " + sums + " GROUP BY project ORDER BY project",
        row -> projects.put(absent(row.getString("project")), sums(row)), params);
    return new Report(period, from, to, List.copyOf(workflows.values()), executions, projects);
  }

  private static Sums sums(java.sql.ResultSet row) throws java.sql.SQLException {
    return new Sums(row.getLong("requests"), row.getLong("prompt"), row.getLong("completion"), row.getLong("cost"));
  }

  /** The rollups' '' back to "none named". */
  private static String absent(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}

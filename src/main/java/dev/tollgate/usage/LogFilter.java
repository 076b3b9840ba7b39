package dev.tollgate.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which usage records a log query reads. Every part is optional (null: any).
 *
 * @param userId the account's records only (always set for a non-admin caller)
 * @param from records received at or after
 * @param to records received before
 * @param before keyset cursor: records with a smaller id (the next page of a newest-first list)
 */
public record LogFilter(
    Long userId, Instant from, Instant to, String model, Long keyId, Outcome outcome, String workflowTag,
    String project, Long before) {

  public LogFilter withBefore(Long cursor) {
    return new LogFilter(userId, from, to, model, keyId, outcome, workflowTag, project, cursor);
  }

  /** The WHERE clause (on alias {@code r}) and its parameters. */
  Where where() {
    List<String> conditions = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    condition(conditions, params, userId, "r.user_id = ?");
    condition(conditions, params, from == null ? null : from.toEpochMilli(), "r.created_at >= ?");
    condition(conditions, params, to == null ? null : to.toEpochMilli(), "r.created_at < ?");
    condition(conditions, params, model, "r.model_requested = ?");
    condition(conditions, params, keyId, "r.key_id = ?");
    condition(conditions, params, workflowTag, "r.workflow_tag = ?");
    condition(conditions, params, project, "r.project = ?");
    condition(conditions, params, before, "r.id < ?");
    if (outcome != null) {
      conditions.add("(" + outcome.condition() + ")");
    }
    return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params.toArray());
  }

  private static void condition(List<String> conditions, List<Object> params, Object value, String sql) {
    if (value != null) {
      conditions.add(sql);
      params.add(value);
    }
  }

  record Where(String sql, Object[] params) {}
}

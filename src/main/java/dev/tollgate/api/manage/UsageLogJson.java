package dev.tollgate.api.manage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.Money;
import dev.tollgate.usage.Attribution;
import dev.tollgate.usage.AttributionRepository;
import dev.tollgate.usage.Outcome;
import dev.tollgate.usage.UsageRecord;
import dev.tollgate.usage.StatsRepository;
import dev.tollgate.usage.UsageRepository;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The usage log's answers: entries as JSON and CSV, and the two statistics reports. Cost in cents. */
final class UsageLogJson {

  private UsageLogJson() {}

  static ObjectNode entry(UsageRepository.LogEntry entry, boolean admin) {
    UsageRecord r = entry.record();
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("id", Long.toString(entry.id()))
        .put("time", r.createdAt().toString())
        .put("requestId", r.requestId());
    if (admin) {
      json.put("userId", r.userId());
    }
    json.put("keyId", r.keyId())
        .put("keyName", entry.keyName())
        .put("model", r.modelRequested())
        .put("upstreamModel", r.modelUsed());
    if (admin) { // which upstream served it is the operator's business
      json.put("channelId", r.channelId());
    }
    json.put("promptTokens", r.promptTokens())
        .put("completionTokens", r.completionTokens())
        .put("cachedTokens", r.cachedTokens())
        .put("tokensEstimated", r.tokensEstimated())
        .put("cost", Money.microsAsCents(r.cost()))
        .put("firstByteMs", r.firstByteMs())
        .put("totalMs", r.totalMs())
        .put("stream", r.stream())
        .put("status", Outcome.of(r.status(), r.errorCode()).wireName())
        .put("httpStatus", r.status())
        .put("errorCode", r.errorCode());
    if (r.units() != null) { // an image, audio or speech request: billed by units, not tokens
      json.putObject("units")
          .put("unit", r.units().unit())
          .put("quantity", r.units().quantity())
          .put("estimated", r.units().estimated());
    }
    Attribution a = r.attribution();
    return json.put("workflowTag", a.workflowTag())
        .put("step", a.step())
        .put("executionId", a.executionId())
        .put("source", a.source())
        .put("project", a.project());
  }

  static String csvHeader(boolean admin) {
    List<String> columns = new ArrayList<>(List.of("id", "time", "request_id"));
    if (admin) {
      columns.add("user_id");
    }
    columns.addAll(List.of("key_id", "key_name", "model", "upstream_model"));
    if (admin) {
      columns.add("channel_id");
    }
    columns.addAll(List.of("prompt_tokens", "completion_tokens", "cached_tokens", "tokens_estimated", "cost_cents",
        "first_byte_ms", "total_ms", "stream", "status", "http_status", "error_code", "workflow_tag", "step",
        "execution_id", "source", "project", "billed_unit", "billed_quantity", "units_estimated"));
    return String.join(",", columns) + "\r\n";
  }

  static void csvRow(StringBuilder csv, UsageRepository.LogEntry entry, boolean admin) {
    UsageRecord r = entry.record();
    Attribution a = r.attribution();
    List<Object> cells = new ArrayList<>(List.of(entry.id(), r.createdAt().toString(), text(r.requestId())));
    if (admin) {
      cells.add(r.userId());
    }
    cells.addAll(Arrays.asList(r.keyId(), text(entry.keyName()), text(r.modelRequested()), text(r.modelUsed())));
    if (admin) {
      cells.add(r.channelId());
    }
    cells.addAll(Arrays.asList(r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.tokensEstimated(),
        Money.microsAsCents(r.cost()).toPlainString(), r.firstByteMs(), r.totalMs(), r.stream(),
        Outcome.of(r.status(), r.errorCode()).wireName(), r.status(), text(r.errorCode()), text(a.workflowTag()),
        text(a.step()), text(a.executionId()), text(a.source()), text(a.project()),
        r.units() == null ? null : r.units().unit(), r.units() == null ? null : r.units().quantity().toPlainString(),
        r.units() == null ? null : r.units().estimated()));
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      Object cell = cells.get(i);
      csv.append(cell == null ? "" : cell.toString());
    }
    csv.append("\r\n");
  }

  /**
   * A caller-chosen text as a CSV cell (RFC 4180 quoting). One that a spreadsheet would run as a
   * formula ({@code =}, {@code +}, {@code -}, {@code @}) is led by an apostrophe, so it stays text.
   */
  private static String text(String value) {
    if (value == null) {
      return null;
    }
    String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (safe.indexOf(',') < 0 && safe.indexOf('"') < 0 && safe.indexOf('\n') < 0 && safe.indexOf('\r') < 0) {
      return safe;
    }
    return '"' + safe.replace("\"", "\"\"") + '"';
  }

  static ObjectNode stats(StatsRepository.Report report) {
    StatsRepository.Totals totals = report.totals();
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("period", report.period().wireName())
        .put("from", report.from().toString())
        .put("to", report.to().toString())
        .put("totalRequests", totals.requests())
        .put("totalCost", Money.microsAsCents(totals.cost()))
        .put("promptTokens", totals.promptTokens())
        .put("completionTokens", totals.completionTokens())
        .put("cachedTokens", totals.cachedTokens())
        .put("successRate", totals.requests() == 0 ? null
            : BigDecimal.valueOf(totals.successes()).divide(BigDecimal.valueOf(totals.requests()), 4, RoundingMode.HALF_EVEN))
        .put("p50LatencyMs", report.p50Ms() < 0 ? null : report.p50Ms())
        .put("p95LatencyMs", report.p95Ms() < 0 ? null : report.p95Ms());
    ArrayNode buckets = json.putArray("dailyBreakdown");
    for (Map.Entry<Instant, StatsRepository.Totals> bucket : report.buckets().entrySet()) {
      String date = report.period().hourly() ? bucket.getKey().toString() : bucket.getKey().toString().substring(0, 10);
      buckets.add(breakdown(Replies.JSON.createObjectNode().put("date", date), bucket.getValue()));
    }
    ArrayNode models = json.putArray("modelBreakdown");
    report.models().forEach((model, sums) -> models.add(breakdown(Replies.JSON.createObjectNode().put("model", model), sums)));
    return json;
  }

  private static ObjectNode breakdown(ObjectNode json, StatsRepository.Totals sums) {
    return json.put("requestCount", sums.requests())
        .put("promptTokens", sums.promptTokens())
        .put("completionTokens", sums.completionTokens())
        .put("cost", Money.microsAsCents(sums.cost()));
  }

  static ObjectNode attribution(AttributionRepository.Report report) {
    ObjectNode json = Replies.JSON.createObjectNode()
        .put("period", report.period().wireName())
        .put("from", report.from().toString())
        .put("to", report.to().toString());
    ArrayNode workflows = json.putArray("workflows");
    for (AttributionRepository.Workflow workflow : report.workflows()) {
      ObjectNode w = sums(Replies.JSON.createObjectNode().put("workflowTag", workflow.tag()), workflow.sums());
      ArrayNode steps = w.putArray("steps");
      workflow.steps().forEach((step, sums) -> steps.add(sums(Replies.JSON.createObjectNode().put("step", step), sums)));
      workflows.add(w);
    }
    ArrayNode executions = json.putArray("executions");
    report.executions().forEach(e -> executions.add(sums(Replies.JSON.createObjectNode()
        .put("executionId", e.executionId()).put("workflowTag", e.workflowTag()), e.sums())));
    ArrayNode projects = json.putArray("projects");
    report.projects().forEach((project, sums) -> projects.add(sums(Replies.JSON.createObjectNode().put("project", project), sums)));
    return json;
  }

  private static ObjectNode sums(ObjectNode json, AttributionRepository.Sums sums) {
    return json.put("requests", sums.requests())
        .put("promptTokens", sums.promptTokens())
        .put("completionTokens", sums.completionTokens())
        .put("cost", Money.microsAsCents(sums.cost()));
  }
}

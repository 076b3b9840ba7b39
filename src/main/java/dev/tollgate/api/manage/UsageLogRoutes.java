package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.accountScope;
import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.queryNumber;
import static dev.tollgate.api.manage.Requests.queryText;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.Dates;
import dev.tollgate.usage.AttributionRepository;
import dev.tollgate.usage.LogFilter;
import dev.tollgate.usage.Outcome;
import dev.tollgate.usage.Period;
import dev.tollgate.usage.UsageRepository;
import dev.tollgate.usage.StatsRepository;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The usage log and its statistics: {@code GET /api/log} (a page of records, newest first),
 * {@code /api/log/export} (the same as CSV), {@code /api/log/stats} and {@code
 * /api/log/stats/attribution}. A user reads their own; an admin reads everyone's, or one
 * account's with {@code ?user=}.
 */
public final class UsageLogRoutes implements ManagementRoutes {

  /** Rows read per query while exporting: the export streams, whatever its length. */
  private static final int EXPORT_BATCH = 1_000;

  private final UsageRepository records;
  private final StatsRepository stats;
  private final AttributionRepository attribution;
  private final Clock clock;

  public UsageLogRoutes(UsageRepository records, StatsRepository stats, AttributionRepository attribution, Clock clock) {
    this.records = records;
    this.stats = stats;
    this.attribution = attribution;
    this.clock = clock;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/log").handler(answering(this::page));
    router.get("/api/log/export").handler(answering(this::export));
    router.get("/api/log/stats").handler(answering(this::stats));
    router.get("/api/log/stats/attribution").handler(answering(this::attribution));
  }

  private void page(RoutingContext rc) {
    LogFilter filter = filter(rc);
    int size = Requests.positive(rc, "pageSize", Requests.DEFAULT_PAGE_SIZE, Requests.MAX_PAGE_SIZE);
    boolean admin = ManagementAuth.principal(rc).isAdmin();
    reply(rc, 200, blocking(rc, () -> {
      List<UsageRepository.LogEntry> entries = records.log(filter, size);
      ObjectNode answer = Replies.JSON.createObjectNode();
      ArrayNode data = answer.putArray("data");
      entries.forEach(entry -> data.add(UsageLogJson.entry(entry, admin)));
      answer.put("pageSize", size);
      // A full page may have more after it; the cursor is the last id shown.
      if (entries.size() == size) {
        answer.put("next", Long.toString(entries.getLast().id()));
      } else {
        answer.putNull("next");
      }
      return answer;
    }));
  }

  private void export(RoutingContext rc) {
    LogFilter filter = filter(rc);
    boolean admin = ManagementAuth.principal(rc).isAdmin();
    HttpServerResponse response = rc.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"tollgate-usage.csv\"");
    blocking(rc, () -> records.log(filter, EXPORT_BATCH)).onComplete(first -> {
      if (first.failed()) {
        Replies.fail(rc, first.cause());
        return;
      }
      response.write(UsageLogJson.csvHeader(admin));
      writeBatch(rc, filter, first.result(), admin);
    });
  }

  /** Writes one batch, then reads the next once the client has taken this one (back-pressure). */
  private void writeBatch(RoutingContext rc, LogFilter filter, List<UsageRepository.LogEntry> batch, boolean admin) {
    HttpServerResponse response = rc.response();
    if (response.closed()) {
      return;
    }
    StringBuilder csv = new StringBuilder();
    batch.forEach(entry -> UsageLogJson.csvRow(csv, entry, admin));
    response.write(csv.toString());
    if (batch.size() < EXPORT_BATCH) {
      response.end();
      return;
    }
    LogFilter next = filter.withBefore(batch.getLast().id());
    Runnable readNext = () -> blocking(rc, () -> records.log(next, EXPORT_BATCH)).onComplete(read -> {
      if (read.failed()) {
        response.reset(); // the header went out already: cut the download rather than end it as if complete
        return;
      }
      writeBatch(rc, next, read.result(), admin);
    });
    if (response.writeQueueFull()) {
      response.drainHandler(v -> readNext.run());
    } else {
      readNext.run();
    }
  }

  private void stats(RoutingContext rc) {
    Period period = period(rc);
    Long user = accountScope(rc, "usage");
    reply(rc, 200, blocking(rc, () -> UsageLogJson.stats(stats.report(period, clock.instant(), user))));
  }

  private void attribution(RoutingContext rc) {
    Period period = period(rc);
    Long user = accountScope(rc, "usage");
    reply(rc, 200, blocking(rc, () -> UsageLogJson.attribution(attribution.report(period, clock.instant(), user))));
  }

  private static Period period(RoutingContext rc) {
    return Period.parse(rc.request().getParam("period"));
  }

  private LogFilter filter(RoutingContext rc) {
    Instant from = instant(rc, "from");
    Instant to = instant(rc, "to");
    if (rc.request().path().endsWith("/export") && from == null) {
      from = clock.instant().minus(Duration.ofDays(1)); // an export is of a range: the last day unless told
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw Problem.invalid("'from' must be before 'to'");
    }
    String status = queryText(rc, "status");
    return new LogFilter(accountScope(rc, "usage"), from, to, queryText(rc, "model"), queryNumber(rc, "key"),
        status == null ? null : Outcome.parse(status), queryText(rc, "workflow"), queryText(rc, "project"),
        queryNumber(rc, "before"));
  }

  private static Instant instant(RoutingContext rc, String name) {
    String value = queryText(rc, name);
    try {
      return Dates.parse(value);
    } catch (RuntimeException e) {
      throw Problem.invalid("'" + name + "' must be a date (2026-12-01) or an ISO instant (2026-12-01T10:00:00Z)");
    }
  }
}

package dev.tollgate.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * An account's cap on what the requests it tags with one workflow or one project may cost per UTC
 * day or calendar month.
 *
 * @param dimension which header names what is capped
 * @param name the header's value (the workflow tag or the project)
 * @param limit micro-cents per period
 */
public record Budget(long id, long userId, Dimension dimension, String name, Period period, long limit) {

  /** What a budget caps: the requests tagged with one workflow, or with one project. */
  public enum Dimension {
    WORKFLOW("x-workflow-tag"),
    PROJECT("x-project");

    private final String header;

    Dimension(String header) {
      this.header = header;
    }

    public String header() {
      return header;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension parse(String text) {
      for (Dimension dimension : values()) {
        if (dimension.wireName().equals(text)) {
          return dimension;
        }
      }
      throw new IllegalArgumentException("'dimension' is workflow or project");
    }
  }

  /** The span a budget's limit renews over, in UTC. */
  public enum Period {
    DAY,
    MONTH;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Period parse(String text) {
      for (Period period : values()) {
        if (period.wireName().equals(text)) {
          return period;
        }
      }
      throw new IllegalArgumentException("'period' is day or month");
    }

    /** The start of the period {@code now} is in. */
    public Instant start(Instant now) {
      LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
      return (this == DAY ? day : day.withDayOfMonth(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The start of the next period: when the budget renews. */
    public Instant renewal(Instant now) {
      LocalDate start = LocalDate.ofInstant(start(now), ZoneOffset.UTC);
      return (this == DAY ? start.plusDays(1) : start.plusMonths(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  public Budget {
    if (limit < 0) {
      throw new IllegalArgumentException("a budget's limit cannot be negative");
    }
  }

  public String describe() {
    return dimension.wireName() + " '" + name + "' (" + Money.microsAsCents(limit).toPlainString() + " cents per "
        + period.wireName() + ")";
  }
}

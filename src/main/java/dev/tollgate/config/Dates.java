package dev.tollgate.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The date forms operators write in config and on the command line. */
public final class Dates {

  private Dates() {}

  /** {@code 2027-01-01} (start of that day, UTC) or a full ISO instant; blank is null. */
  public static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a date (2027-01-01) or an ISO instant (2027-01-01T00:00:00Z)");
    }
  }
}

package dev.tollgate.usage;

import java.util.Locale;

/** How a request ended, as the usage log shows and filters it; derived from status and error code. */
public enum Outcome {
  SUCCESS("r.status < 400"),
  /** The upstream took too long (504 upstream_timeout). */
  TIMEOUT("r.error_code = 'upstream_timeout'"),
  /** The client went away before the answer ended (499). */
  CANCELLED("r.status = 499"),
  FAILED("r.status >= 400 AND r.status <> 499 AND (r.error_code IS NULL OR r.error_code <> 'upstream_timeout')");

  private final String condition;

  Outcome(String condition) {
    this.condition = condition;
  }

  /** The SQL condition on usage_records (alias {@code r}) that selects this outcome. */
  String condition() {
    return condition;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Outcome of(int status, String errorCode) {
    if (status < 400) {
      return SUCCESS;
    }
    if ("upstream_timeout".equals(errorCode)) {
      return TIMEOUT;
    }
    return status == 499 ? CANCELLED : FAILED;
  }

  /** @throws IllegalArgumentException naming the accepted values */
  public static Outcome parse(String value) {
    for (Outcome outcome : values()) {
      if (outcome.wireName().equalsIgnoreCase(value.strip())) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("'status' must be one of success, timeout, cancelled, failed");
  }
}

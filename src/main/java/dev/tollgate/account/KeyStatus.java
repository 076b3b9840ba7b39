package dev.tollgate.account;

import java.util.Locale;

public enum KeyStatus {
  ENABLED,
  DISABLED,
  DELETED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KeyStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}

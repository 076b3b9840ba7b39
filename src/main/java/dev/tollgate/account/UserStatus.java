package dev.tollgate.account;

import java.util.Locale;

public enum UserStatus {
  ENABLED,
  DISABLED,
  DELETED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static UserStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}

package dev.tollgate.channel;

import java.util.Locale;

public enum ChannelStatus {
  ENABLED,
  DISABLED,
  DELETED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ChannelStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}

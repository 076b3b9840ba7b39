package dev.tollgate.channel;

import java.util.Locale;

public enum ChannelStatus {
  ENABLED,
  DISABLED,
  /** Taken out of routing by the gateway: the upstream refused the channel's key or account. */
  AUTO_DISABLED,
  DELETED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ChannelStatus fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}

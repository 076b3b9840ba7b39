package dev.tollgate.account;

import java.util.Locale;

/** What a user may do in the management API. Root is the admin made at first start. */
public enum Role {
  USER,
  ADMIN,
  ROOT;

  public boolean isAdmin() {
    return this != USER;
  }

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** Parses what a client sent, naming the allowed values when it is none of them. */
  public static Role parse(String value) {
    for (Role role : values()) {
      if (role.dbValue().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return role;
      }
    }
    throw new IllegalArgumentException("'role' must be one of user, admin, root");
  }
}

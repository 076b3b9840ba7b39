package dev.tollgate.api.manage;

import dev.tollgate.account.User;

/**
 * Who is calling the management API: a logged-in user, or the holder of the configured admin
 * token, who acts as the root admin.
 */
record Principal(User user, boolean adminToken) {

  boolean isAdmin() {
    return user.role().isAdmin();
  }

  long userId() {
    return user.id();
  }
}

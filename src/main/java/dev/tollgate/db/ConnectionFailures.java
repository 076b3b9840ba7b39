package dev.tollgate.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Tells "the database is not there (yet)" apart from "the database said no". */
final class ConnectionFailures {

  private ConnectionFailures() {}

  /**
   * True for failures worth retrying: nothing listening, a timeout, a pool that got no connection,
   * SQLSTATE class 08 (connection exception) or PostgreSQL's 57P03 (starting up). Wrong
   * credentials or a bad migration are not: retrying would only delay the real message.
   */
  static boolean isConnectionFailure(Throwable error) {
    // The pool reports "no connection in time" with the driver's real refusal as the cause:
    // look through the whole chain for a definite "no" before deciding to wait.
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null && isDefiniteRefusal(sql.getSQLState())) {
        return false;
      }
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException || t instanceof UnknownHostException
          || t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
        return true;
      }
    }
    return false;
  }

  /** Bad credentials (28), no such database (3D), syntax or access rule (42). */
  private static boolean isDefiniteRefusal(String sqlState) {
    return sqlState.startsWith("28") || sqlState.startsWith("3D") || sqlState.startsWith("42");
  }

  /** The innermost message, which is the one that says what went wrong. */
  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}

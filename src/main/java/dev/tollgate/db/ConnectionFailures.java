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
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException || t instanceof UnknownHostException
          || t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.equals("28000") || state.equals("28P01") || state.startsWith("42")) {
          return false;
        }
        if (state.startsWith("08") || state.equals("57P03")) {
          return true;
        }
      }
    }
    return false;
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

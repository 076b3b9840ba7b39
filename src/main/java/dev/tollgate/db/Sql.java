package dev.tollgate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Thin JDBC helper for repositories: parameter binding, row mapping, generated ids. */
public final class Sql {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rows.next()) {
          out.add(mapper.map(rows));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DataAccessException(sql, e);
    }
  }

  public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(String sql, Object... params) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new DataAccessException(sql, e);
    }
  }

  public long insert(String sql, Object... params) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(statement, params);
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated key returned");
        }
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new DataAccessException(sql, e);
    }
  }

  /**
   * Runs {@code work} on one connection in one transaction: committed when it returns, rolled back
   * when it throws.
   */
  public <T> T inTransaction(TransactionWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        T result = work.run(new Transaction(connection));
        connection.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new DataAccessException("transaction", e);
    }
  }

  /** Work done inside {@link #inTransaction}. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Transaction tx) throws SQLException;
  }

  /** Statements on the transaction's connection. */
  public static final class Transaction {
    private final Connection connection;

    private Transaction(Connection connection) {
      this.connection = connection;
    }

    public int update(String sql, Object... params) throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        bind(statement, params);
        return statement.executeUpdate();
      }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        bind(statement, params);
        try (ResultSet rows = statement.executeQuery()) {
          return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
      }
    }
  }

  public static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object value = params[i];
      switch (value) {
        case null -> statement.setNull(i + 1, Types.NULL);
        case Boolean b -> statement.setInt(i + 1, b ? 1 : 0);
        default -> statement.setObject(i + 1, value);
      }
    }
  }

  /** Reads a nullable BIGINT column. */
  public static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  /** A database failure, unchecked so repositories stay readable; callers map it at the edge. */
  public static final class DataAccessException extends RuntimeException {
    DataAccessException(String sql, SQLException cause) {
      super("database error: " + cause.getMessage() + " (in: " + firstWords(sql) + ")", cause);
    }

    private static String firstWords(String sql) {
      String flat = sql.replaceAll("\\s+", " ").trim();
      return flat.length() > 60 ? flat.substring(0, 60) + "…" : flat;
    }
  }
}

package dev.tollgate.db;

import dev.tollgate.config.TollgateConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is, from the URL forms operators write: {@code postgresql://user:pw@host/db},
 * {@code postgres://…}, {@code mysql://…}, {@code mariadb://…}, {@code sqlite:path}, or any
 * {@code jdbc:} URL as is. Credentials in the URL are taken out of it, so the JDBC URL can be
 * logged; explicitly configured ones win over them.
 *
 * @param jdbcUrl the URL handed to the driver, without credentials when they were in userinfo
 * @param redacted the URL to show in logs and errors: never a password
 */
public record DatabaseUrl(String jdbcUrl, Dialect dialect, String username, String password, String redacted) {

  /** The database in force: the configured one, or an SQLite file under the data directory. */
  public static DatabaseUrl of(TollgateConfig config) {
    TollgateConfig.Database settings = config.database();
    return settings.url() == null || settings.url().isBlank()
        ? sqlite(config.dataPath().resolve("tollgate.db").toString())
        : parse(settings.url(), settings.username(), settings.password());
  }

  public static DatabaseUrl parse(String url, String username, String password) {
    String trimmed = url.trim();
    int colon = trimmed.indexOf(':');
    String scheme = colon < 0 ? "" : trimmed.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    return switch (scheme) {
      case "jdbc" -> fromJdbc(trimmed, username, password);
      case "postgresql", "postgres" -> fromUri(trimmed, "jdbc:postgresql://", Dialect.POSTGRESQL, username, password);
      case "mysql", "mariadb" -> fromUri(trimmed, "jdbc:mariadb://", Dialect.MARIADB, username, password);
      case "sqlite" -> sqlite(trimmed.substring("sqlite:".length()).replaceFirst("^//", ""));
      default -> throw new IllegalArgumentException("unsupported database URL '" + redact(trimmed)
          + "': use postgresql://user:password@host:5432/db, mariadb://user:password@host:3306/db,"
          + " mysql://…, sqlite:path/to/file.db or a jdbc: URL");
    };
  }

  public static DatabaseUrl sqlite(String file) {
    String jdbc = "jdbc:sqlite:" + file;
    return new DatabaseUrl(jdbc, Dialect.SQLITE, null, null, jdbc);
  }

  private static DatabaseUrl fromJdbc(String url, String username, String password) {
    // The MariaDB driver only answers to jdbc:mysql: when told to; one driver serves both names.
    String jdbc = url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    return new DatabaseUrl(jdbc, Dialect.fromJdbcUrl(jdbc), username, password, redact(jdbc));
  }

  private static DatabaseUrl fromUri(String url, String jdbcPrefix, Dialect dialect, String username, String password) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the database URL '" + redact(url) + "' is malformed: " + e.getReason());
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the database URL '" + redact(url) + "' names no host");
    }
    String userInfo = uri.getRawUserInfo();
    String urlUser = null;
    String urlPassword = null;
    if (userInfo != null) {
      int split = userInfo.indexOf(':');
      urlUser = decode(split < 0 ? userInfo : userInfo.substring(0, split));
      urlPassword = split < 0 ? null : decode(userInfo.substring(split + 1));
    }
    String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
    String jdbc = jdbcPrefix + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new DatabaseUrl(jdbc, dialect,
        username != null ? username : urlUser, password != null ? password : urlPassword, jdbc);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Hides a password given inside the URL, in userinfo or as a {@code password=} parameter. */
  static String redact(String url) {
    return url.replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}

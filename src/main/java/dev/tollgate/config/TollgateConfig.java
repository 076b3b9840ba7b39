package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as read from the YAML file and {@code TOLLGATE_*} environment
 * variables (see {@link ConfigLoader}). Every field has a default, so an empty file is valid.
 */
public record TollgateConfig(
    Server server,
    Database database,
    Upstream upstream,
    Usage usage,
    Images images,
    String dataDir,
    String secretKey,
    List<ChannelDecl> channels,
    List<KeyDecl> keys,
    Admin admin) {

  public TollgateConfig {
    server = server == null ? Server.defaults() : server;
    database = database == null ? Database.defaults() : database;
    upstream = upstream == null ? Upstream.defaults() : upstream;
    usage = usage == null ? Usage.defaults() : usage;
    images = images == null ? Images.defaults() : images;
    dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
    channels = channels == null ? List.of() : List.copyOf(channels);
    keys = keys == null ? List.of() : List.copyOf(keys);
    admin = admin == null ? Admin.defaults() : admin;
  }

  public static TollgateConfig defaults() {
    return new TollgateConfig(null, null, null, null, null, null, null, null, null, null);
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  public record Server(
      String host, int port, long bodyLimitBytes, int shutdownGraceSeconds, int eventLoops) {
    public Server {
      host = host == null || host.isBlank() ? "0.0.0.0" : host;
      port = port == 0 ? 8080 : port;
      bodyLimitBytes = bodyLimitBytes <= 0 ? 32L * 1024 * 1024 : bodyLimitBytes;
      shutdownGraceSeconds = shutdownGraceSeconds <= 0 ? 30 : shutdownGraceSeconds;
    }

    static Server defaults() {
      return new Server(null, 0, 0, 0, 0);
    }
  }

  /**
   * @param url where the database is (see {@code DatabaseUrl}); empty = SQLite under the data dir
   * @param connectTimeoutMs how long a request waits for a connection before failing
   * @param startupWaitSeconds how long start-up keeps retrying a database that does not answer
   * @param outageGraceSeconds how long keys validated before a database outage keep working
   *     during it (they cannot be re-checked); 0 = refuse them as soon as the cache expires
   */
  public record Database(
      String url, String username, String password, int poolSize, int connectTimeoutMs,
      int startupWaitSeconds, Integer outageGraceSeconds) {
    public Database {
      poolSize = poolSize <= 0 ? 8 : poolSize;
      connectTimeoutMs = connectTimeoutMs <= 0 ? 3_000 : connectTimeoutMs;
      startupWaitSeconds = startupWaitSeconds < 0 ? 0 : startupWaitSeconds == 0 ? 60 : startupWaitSeconds;
      outageGraceSeconds = outageGraceSeconds == null || outageGraceSeconds < 0 ? 900 : outageGraceSeconds;
    }

    static Database defaults() {
      return new Database(null, null, null, 0, 0, 0, null);
    }
  }

  public record Upstream(
      int connectTimeoutMs, int firstByteTimeoutMs, int idleTimeoutMs, int maxConnectionsPerHost) {
    public Upstream {
      connectTimeoutMs = connectTimeoutMs <= 0 ? 10_000 : connectTimeoutMs;
      firstByteTimeoutMs = firstByteTimeoutMs <= 0 ? 300_000 : firstByteTimeoutMs;
      idleTimeoutMs = idleTimeoutMs <= 0 ? 300_000 : idleTimeoutMs;
      maxConnectionsPerHost = maxConnectionsPerHost <= 0 ? 512 : maxConnectionsPerHost;
    }

    static Upstream defaults() {
      return new Upstream(0, 0, 0, 0);
    }
  }

  public record Usage(int batchSize, int flushIntervalMs) {
    public Usage {
      batchSize = batchSize <= 0 ? 500 : batchSize;
      flushIntervalMs = flushIntervalMs <= 0 ? 200 : flushIntervalMs;
    }

    static Usage defaults() {
      return new Usage(0, 0);
    }
  }

  /**
   * Fetching image URLs for upstreams that need the bytes (Gemini). Defaults are the safe ones:
   * HTTPS only, public addresses only (no SSRF into the gateway's network), 20 MB, 10 s.
   */
  public record Images(
      boolean fetchAllowHttp, boolean fetchAllowPrivateAddresses, long fetchMaxBytes, int fetchTimeoutMs) {
    public Images {
      fetchMaxBytes = fetchMaxBytes <= 0 ? 20L * 1024 * 1024 : fetchMaxBytes;
      fetchTimeoutMs = fetchTimeoutMs <= 0 ? 10_000 : fetchTimeoutMs;
    }

    static Images defaults() {
      return new Images(false, false, 0, 0);
    }
  }

  /**
   * The admin API ({@code /api/*}).
   *
   * @param token the bearer token it takes ({@code TOLLGATE_ADMIN_TOKEN}); unset = the admin API
   *     is off (it answers 403 saying how to turn it on)
   */
  public record Admin(String token) {
    public Admin {
      token = token == null || token.isBlank() ? null : token.strip();
    }

    static Admin defaults() {
      return new Admin(null);
    }

    @Override
    public String toString() {
      return "Admin[token=" + (token == null ? "unset" : "***") + "]";
    }
  }

  /**
   * A channel declared in the file; upserted by name at start-up.
   *
   * @param key one provider key; {@code keys} gives several (both may be used)
   * @param paramOverrides a JSON/YAML object merged into every upstream request body
   */
  public record ChannelDecl(
      String name,
      String type,
      String baseUrl,
      String key,
      List<String> keys,
      List<String> models,
      Map<String, String> modelMapping,
      Integer priority,
      Integer weight,
      JsonNode paramOverrides,
      Map<String, String> extraHeaders,
      Integer connectTimeoutMs,
      Integer firstByteTimeoutMs,
      Integer idleTimeoutMs,
      List<String> groups) {

    @Override
    public String toString() {
      return "ChannelDecl[name=" + name + ", type=" + type + ", keys hidden]";
    }
  }

  /** A key declared in the file with its full value; stored hashed at start-up. */
  public record KeyDecl(
      String name, String key, Long quotaCents, List<String> models, String expires) {}
}

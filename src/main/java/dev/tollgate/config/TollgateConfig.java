package dev.tollgate.config;

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
    Protocols protocols,
    String dataDir,
    String secretKey,
    List<ChannelDecl> channels,
    List<KeyDecl> keys) {

  public TollgateConfig {
    server = server == null ? Server.defaults() : server;
    database = database == null ? Database.defaults() : database;
    upstream = upstream == null ? Upstream.defaults() : upstream;
    usage = usage == null ? Usage.defaults() : usage;
    images = images == null ? Images.defaults() : images;
    protocols = protocols == null ? Protocols.defaults() : protocols;
    dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
    channels = channels == null ? List.of() : List.copyOf(channels);
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  public static TollgateConfig defaults() {
    return new TollgateConfig(null, null, null, null, null, null, null, null, null, null);
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  /**
   * @param streamKeepaliveSeconds after this long without a byte to a streaming client, the
   *     gateway writes a keepalive (an SSE comment); null means 15, 0 turns keepalives off
   */
  public record Server(
      String host, int port, long bodyLimitBytes, int shutdownGraceSeconds, int eventLoops,
      Integer streamKeepaliveSeconds) {
    public Server {
      host = host == null || host.isBlank() ? "0.0.0.0" : host;
      port = port == 0 ? 8080 : port;
      bodyLimitBytes = bodyLimitBytes <= 0 ? 32L * 1024 * 1024 : bodyLimitBytes;
      shutdownGraceSeconds = shutdownGraceSeconds <= 0 ? 30 : shutdownGraceSeconds;
      streamKeepaliveSeconds = streamKeepaliveSeconds == null ? 15 : Math.max(0, streamKeepaliveSeconds);
    }

    static Server defaults() {
      return new Server(null, 0, 0, 0, 0, null);
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

  /** Per-protocol behaviour of conversions. */
  public record Protocols(OpenAi openai, Gemini gemini) {
    public Protocols {
      openai = openai == null ? OpenAi.defaults() : openai;
      gemini = gemini == null ? Gemini.defaults() : gemini;
    }

    static Protocols defaults() {
      return new Protocols(null, null);
    }
  }

  /**
   * @param reasoningContent give OpenAI clients the thinking of other protocols' upstreams as
   *     {@code reasoning_content} (not in OpenAI's API: strict clients may reject it); a request
   *     overrides it with the header {@code x-tollgate-reasoning: content | none}
   */
  public record OpenAi(boolean reasoningContent) {
    static OpenAi defaults() {
      return new OpenAi(false);
    }
  }

  /**
   * @param thoughtSignatureCacheEntries how many Gemini thought signatures are kept (for an hour
   *     each) for OpenAI and Anthropic clients, which cannot send them back themselves
   */
  public record Gemini(long thoughtSignatureCacheEntries) {
    public Gemini {
      thoughtSignatureCacheEntries = thoughtSignatureCacheEntries <= 0 ? 10_000 : thoughtSignatureCacheEntries;
    }

    static Gemini defaults() {
      return new Gemini(0);
    }
  }

  /** A channel declared in the file; upserted by name at start-up. */
  public record ChannelDecl(
      String name,
      String type,
      String baseUrl,
      String key,
      List<String> models,
      Map<String, String> modelMapping,
      Integer priority,
      Integer weight) {}

  /** A key declared in the file with its full value; stored hashed at start-up. */
  public record KeyDecl(
      String name, String key, Long quotaCents, List<String> models, String expires) {}
}

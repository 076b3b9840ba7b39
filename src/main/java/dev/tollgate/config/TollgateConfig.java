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
    Protocols protocols,
    Routing routing,
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
    protocols = protocols == null ? Protocols.defaults() : protocols;
    routing = routing == null ? Routing.defaults() : routing;
    dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
    channels = channels == null ? List.of() : List.copyOf(channels);
    keys = keys == null ? List.of() : List.copyOf(keys);
    admin = admin == null ? Admin.defaults() : admin;
  }

  public static TollgateConfig defaults() {
    return new TollgateConfig(null, null, null, null, null, null, null, null, null, null, null, null);
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
   * Failover and channel health.
   *
   * @param maxAttempts upstream calls one request may make (failover before the first byte)
   * @param deadlineMs how long a request may spend before its answer starts, over all attempts;
   *     past it the client gets a 504
   * @param probeIntervalSeconds how often channels whose circuit is open are sent a tiny request
   *     that can close the circuit before its cool-down ends; 0 = never
   */
  public record Routing(int maxAttempts, long deadlineMs, int probeIntervalSeconds, Circuit circuit) {
    public Routing {
      maxAttempts = maxAttempts <= 0 ? 3 : maxAttempts;
      deadlineMs = deadlineMs <= 0 ? 300_000 : deadlineMs;
      probeIntervalSeconds = Math.max(0, probeIntervalSeconds);
      circuit = circuit == null ? Circuit.defaults() : circuit;
    }

    static Routing defaults() {
      return new Routing(0, 0, 0, null);
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

  /**
   * When a channel's circuit opens: after {@code consecutiveFailures} upstream failures in a row,
   * or when at least {@code failureRatePercent} of at least {@code minCalls} calls in the last
   * {@code windowSeconds} failed. It stays open {@code coolDownSeconds}, then lets one probe
   * request through.
   */
  public record Circuit(
      int consecutiveFailures, int failureRatePercent, int minCalls, int windowSeconds, int coolDownSeconds) {
    public Circuit {
      consecutiveFailures = consecutiveFailures <= 0 ? 5 : consecutiveFailures;
      failureRatePercent = failureRatePercent <= 0 ? 50 : failureRatePercent;
      minCalls = minCalls <= 0 ? 20 : minCalls;
      windowSeconds = windowSeconds <= 0 ? 60 : windowSeconds;
      coolDownSeconds = coolDownSeconds <= 0 ? 30 : coolDownSeconds;
    }

    static Circuit defaults() {
      return new Circuit(0, 0, 0, 0, 0);
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

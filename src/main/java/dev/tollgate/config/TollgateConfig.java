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
    Admin admin,
    Accounts accounts,
    Billing billing,
    RateLimits rateLimits,
    Redis redis,
    Log log) {

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
    accounts = accounts == null ? Accounts.defaults() : accounts;
    billing = billing == null ? Billing.defaults() : billing;
    rateLimits = rateLimits == null ? RateLimits.defaults() : rateLimits;
    redis = redis == null ? Redis.defaults() : redis;
    log = log == null ? Log.defaults() : log;
  }

  public static TollgateConfig defaults() {
    return new TollgateConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  // Copies with one part replaced: callers (tests, the CLI) change what they need by name
  // instead of repeating every component in order.

  public TollgateConfig withServer(Server value) {
    return new TollgateConfig(value, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withDatabase(Database value) {
    return new TollgateConfig(server, value, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withUpstream(Upstream value) {
    return new TollgateConfig(server, database, value, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withRouting(Routing value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, value, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withDataDir(String value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, value, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withSecretKey(String value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, value,
        channels, keys, admin, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withAdmin(Admin value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, value, accounts, billing, rateLimits, redis, log);
  }

  public TollgateConfig withAccounts(Accounts value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, value, billing, rateLimits, redis, log);
  }

  public TollgateConfig withBilling(Billing value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, value, rateLimits, redis, log);
  }

  public TollgateConfig withRateLimits(RateLimits value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, value, redis, log);
  }

  public TollgateConfig withRedis(Redis value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, value, log);
  }

  public TollgateConfig withLog(Log value) {
    return new TollgateConfig(server, database, upstream, usage, images, protocols, routing, dataDir, secretKey,
        channels, keys, admin, accounts, billing, rateLimits, redis, value);
  }

  /** Never prints the secret key, the admin token or account secrets. */
  @Override
  public String toString() {
    return "TollgateConfig[server=" + server + ", database=" + (database.url() == null ? "sqlite (data dir)" : "configured") + ", dataDir=" + dataDir
        + ", secretKey=" + (secretKey == null ? "unset" : "***") + ", channels=" + channels.size()
        + ", keys=" + keys.size() + ", " + admin + ", " + accounts + ", " + billing + ", " + redis + ", " + log + "]";
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  /**
   * @param streamKeepaliveSeconds after this long without a byte to a streaming client, the
   *     gateway writes a keepalive (an SSE comment); null means 15, 0 turns keepalives off
   * @param uploadLimitBytes the most an audio upload (transcriptions, translations) may hold,
   *     25 MB by default as at OpenAI; a larger one is refused with 413 before it is read
   */
  public record Server(
      String host, int port, long bodyLimitBytes, int shutdownGraceSeconds, int eventLoops,
      Integer streamKeepaliveSeconds, long uploadLimitBytes) {
    public Server {
      uploadLimitBytes = uploadLimitBytes <= 0 ? 25L * 1024 * 1024 : uploadLimitBytes;
      host = host == null || host.isBlank() ? "0.0.0.0" : host;
      port = port == 0 ? 8080 : port;
      bodyLimitBytes = bodyLimitBytes <= 0 ? 32L * 1024 * 1024 : bodyLimitBytes;
      shutdownGraceSeconds = shutdownGraceSeconds <= 0 ? 30 : shutdownGraceSeconds;
      streamKeepaliveSeconds = streamKeepaliveSeconds == null ? 15 : Math.max(0, streamKeepaliveSeconds);
    }

    static Server defaults() {
      return new Server(null, 0, 0, 0, 0, null, 0);
    }

    public Server withUploadLimitBytes(long value) {
      return new Server(host, port, bodyLimitBytes, shutdownGraceSeconds, eventLoops, streamKeepaliveSeconds, value);
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

  /** @param retentionDays usage records older than this many days are purged; 0 keeps them forever */
  public record Usage(int batchSize, int flushIntervalMs, int retentionDays) {
    public Usage {
      batchSize = batchSize <= 0 ? 500 : batchSize;
      flushIntervalMs = flushIntervalMs <= 0 ? 200 : flushIntervalMs;
      retentionDays = Math.max(0, retentionDays);
    }

    static Usage defaults() {
      return new Usage(0, 0, 0);
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
   * Users, sessions and keys (the management API).
   *
   * @param registrationClosed only admins create users; by default anyone may register at
   *     {@code /api/user/register}
   * @param newUserQuotaCents quota a new user starts with (default 0)
   * @param inviterRewardCents credited to a user whose invite code someone registers with
   * @param inviteeRewardCents credited to a user who registers with an invite code
   * @param keyPrefix how new API keys start ({@code sk-} by default; {@code tsk-} works too)
   * @param jwtSecret signs session tokens (at least 32 characters); unset = one is generated at
   *     first start and kept, encrypted, in the database so every replica shares it
   * @param rootPassword the root admin's password when the first start creates it; unset = a
   *     random one, printed once
   * @param sessionDays how long a login stays valid (default 7)
   * @param byokFeeRatio what a request served with the user's own provider key costs, as a ratio
   *     of its normal price (a decimal, default 0: free)
   */
  public record Accounts(
      boolean registrationClosed,
      Long newUserQuotaCents,
      Long inviterRewardCents,
      Long inviteeRewardCents,
      String keyPrefix,
      String jwtSecret,
      String rootPassword,
      Integer sessionDays,
      String byokFeeRatio) {
    public Accounts {
      newUserQuotaCents = newUserQuotaCents == null ? 0 : newUserQuotaCents;
      inviterRewardCents = inviterRewardCents == null ? 0 : inviterRewardCents;
      inviteeRewardCents = inviteeRewardCents == null ? 0 : inviteeRewardCents;
      keyPrefix = keyPrefix == null || keyPrefix.isBlank() ? "sk-" : keyPrefix.strip();
      jwtSecret = jwtSecret == null || jwtSecret.isBlank() ? null : jwtSecret.strip();
      rootPassword = rootPassword == null || rootPassword.isEmpty() ? null : rootPassword;
      sessionDays = sessionDays == null || sessionDays <= 0 ? 7 : sessionDays;
      byokFeeRatio = byokFeeRatio == null || byokFeeRatio.isBlank() ? "0" : byokFeeRatio.strip();
      if (newUserQuotaCents < 0 || inviterRewardCents < 0 || inviteeRewardCents < 0) {
        throw new ConfigException("accounts: quotas and rewards are zero or more cents");
      }
      if (!keyPrefix.matches("[A-Za-z0-9_-]{1,8}")) {
        throw new ConfigException("accounts.key_prefix must be 1 to 8 characters from A-Z, a-z, 0-9, '-' and '_'");
      }
      try {
        if (new java.math.BigDecimal(byokFeeRatio).signum() < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("accounts.byok_fee_ratio must be a decimal of 0 or more, such as 0 or 0.1");
      }
      if (jwtSecret != null && jwtSecret.length() < 32) {
        throw new ConfigException("accounts.jwt_secret must be at least 32 characters");
      }
    }

    public static Accounts defaults() {
      return new Accounts(false, null, null, null, null, null, null, null, null);
    }

    /** Copy with the root admin's first password set. */
    public Accounts withRootPassword(String password) {
      return new Accounts(registrationClosed, newUserQuotaCents, inviterRewardCents, inviteeRewardCents, keyPrefix,
          jwtSecret, password, sessionDays, byokFeeRatio);
    }

    /** Copy with registration opened or closed. */
    public Accounts withRegistrationClosed(boolean closed) {
      return new Accounts(closed, newUserQuotaCents, inviterRewardCents, inviteeRewardCents, keyPrefix, jwtSecret,
          rootPassword, sessionDays, byokFeeRatio);
    }

    @Override
    public String toString() {
      return "Accounts[registrationClosed=" + registrationClosed + ", keyPrefix=" + keyPrefix + ", jwtSecret="
          + (jwtSecret == null ? "generated" : "***") + ", rootPassword=" + (rootPassword == null ? "generated" : "***")
          + ", sessionDays=" + sessionDays + "]";
    }
  }

  /**
   * Prices and quota (see {@code billing/}).
   *
   * @param freeModels models served without a price, as names or patterns with {@code *} ({@code
   *     "*"} = every model); any other model without a price is refused, never silently free
   * @param reserveOutputTokens the most output tokens a request's reservation counts (its {@code
   *     max_tokens}, or this when it sets none); default 4096
   * @param skipReconciliation do not recompute every account's and key's spent quota from the
   *     usage records at start (default false: recompute)
   * @param hideQuotaHeaders answer without {@code x-tollgate-quota-remaining} (cents the key may
   *     still spend); default false
   * @param prices model prices declared in the file (cents per million tokens), applied at start
   */
  public record Billing(
      List<String> freeModels,
      Integer reserveOutputTokens,
      boolean skipReconciliation,
      boolean hideQuotaHeaders,
      List<PriceDecl> prices) {
    public Billing {
      freeModels = freeModels == null ? List.of() : List.copyOf(freeModels);
      reserveOutputTokens = reserveOutputTokens == null || reserveOutputTokens <= 0 ? 4096 : reserveOutputTokens;
      prices = prices == null ? List.of() : List.copyOf(prices);
    }

    public static Billing defaults() {
      return new Billing(null, null, false, false, null);
    }

    /** Copy with these models served free. */
    public Billing withFreeModels(List<String> models) {
      return new Billing(models, reserveOutputTokens, skipReconciliation, hideQuotaHeaders, prices);
    }

    /** Copy with these declared prices. */
    public Billing withPrices(List<PriceDecl> declared) {
      return new Billing(freeModels, reserveOutputTokens, skipReconciliation, hideQuotaHeaders, declared);
    }
  }

  /**
   * Rate limits (see {@code limit/}).
   *
   * @param plans declared in the file, upserted by name at start
   * @param redisFailure with Redis configured, what happens while it does not answer: {@code open}
   *     (each node limits on its own) or {@code closed} (requests of limited keys get 503)
   * @param concurrencyLeaseSeconds with Redis: how long a concurrency slot outlives a node that
   *     died before giving it back (longer than the longest request)
   */
  public record RateLimits(List<PlanDecl> plans, String redisFailure, int concurrencyLeaseSeconds) {
    public RateLimits {
      plans = plans == null ? List.of() : List.copyOf(plans);
      redisFailure = redisFailure == null || redisFailure.isBlank() ? "open" : redisFailure.strip().toLowerCase(java.util.Locale.ROOT);
      if (!redisFailure.equals("open") && !redisFailure.equals("closed")) {
        throw new ConfigException("rate_limits.redis_failure is 'open' or 'closed', not '" + redisFailure + "'");
      }
      concurrencyLeaseSeconds = concurrencyLeaseSeconds <= 0 ? 3_600 : concurrencyLeaseSeconds;
    }

    public static RateLimits defaults() {
      return new RateLimits(null, null, 0);
    }

    public boolean failOpen() {
      return redisFailure.equals("open");
    }

    public RateLimits withRedisFailure(String value) {
      return new RateLimits(plans, value, concurrencyLeaseSeconds);
    }
  }

  /**
   * Redis, for what replicas share (rate limits). Off unless a URL is set.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS)
   * @param keyPrefix starts every key Tollgate writes, so deployments may share one Redis
   * @param timeoutMs longest wait for an answer before Redis counts as unreachable
   * @param poolSize connections to Redis
   */
  public record Redis(String url, String keyPrefix, int timeoutMs, int poolSize) {
    public Redis {
      url = url == null || url.isBlank() ? null : url.strip();
      keyPrefix = keyPrefix == null ? "tollgate:" : keyPrefix;
      timeoutMs = timeoutMs <= 0 ? 250 : timeoutMs;
      poolSize = poolSize <= 0 ? 16 : poolSize;
    }

    public static Redis defaults() {
      return new Redis(null, null, 0, 0);
    }

    public static Redis at(String url) {
      return new Redis(url, null, 0, 0);
    }

    public boolean enabled() {
      return url != null;
    }

    public Redis withKeyPrefix(String value) {
      return new Redis(url, value, timeoutMs, poolSize);
    }

    /** The URL without its password. */
    public String describe() {
      return url == null ? "off" : url.replaceFirst("//([^@/]*)@", "//***@");
    }

    @Override
    public String toString() {
      return "Redis[" + describe() + "]";
    }
  }

  /**
   * What the gateway logs besides its own messages.
   *
   * @param accessOff no access log (one JSON line per request); default false, so the log is on.
   *     Named for the change, like every switch here: off unless set
   * @param accessFile the access log's file (appended to; its folders are made); null or blank: stdout
   * @param accessPrompts debug: each access line also holds the prompt's text (cut at 8,192
   *     characters). Answers are never logged
   */
  public record Log(boolean accessOff, String accessFile, boolean accessPrompts) {
    static Log defaults() {
      return new Log(false, null, false);
    }
  }

  /** A plan from the config file; a limit left out or 0 is none. */
  public record PlanDecl(String name, Long qps, Long rpm, Long tpm, Integer maxConcurrent) {}

  /**
   * A model price from the config file, in decimal cents (up to six places) per million tokens;
   * the unit prices in cents per image, per second of audio and per million characters.
   */
  public record PriceDecl(
      String model,
      String input,
      String output,
      String cachedInput,
      String image,
      String audioSecond,
      String character) {}

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

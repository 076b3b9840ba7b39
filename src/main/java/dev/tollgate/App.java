package dev.tollgate;

import dev.tollgate.account.AccountBootstrap;
import dev.tollgate.account.AccountService;
import dev.tollgate.account.ApiKeyRepository;
import dev.tollgate.account.GroupRepository;
import dev.tollgate.account.LoginThrottle;
import dev.tollgate.account.Sessions;
import dev.tollgate.account.SettingsRepository;
import dev.tollgate.account.StoredCallers;
import dev.tollgate.account.User;
import dev.tollgate.account.UserAdministration;
import dev.tollgate.account.UserRepository;
import dev.tollgate.account.KeyAuthenticator;
import dev.tollgate.account.KeyService;
import dev.tollgate.api.GatewayVerticle;
import dev.tollgate.api.HttpApi;
import dev.tollgate.api.manage.ManagementApi;
import dev.tollgate.api.manage.PriceRoutes;
import dev.tollgate.api.manage.TokenRoutes;
import dev.tollgate.api.manage.PlanRoutes;
import dev.tollgate.api.manage.ProviderKeyRoutes;
import dev.tollgate.account.LastUseRecorder;
import dev.tollgate.account.ProviderKeyRepository;
import dev.tollgate.api.manage.WalletRoutes;
import dev.tollgate.api.manage.UsageLogRoutes;
import dev.tollgate.usage.AttributionRepository;
import dev.tollgate.usage.StatsRepository;
import dev.tollgate.billing.BudgetBook;
import dev.tollgate.billing.BudgetRepository;
import dev.tollgate.billing.PriceBook;
import dev.tollgate.billing.PriceRepository;
import dev.tollgate.billing.QuotaLedger;
import dev.tollgate.billing.RedemptionRepository;
import dev.tollgate.billing.Redemptions;
import dev.tollgate.api.manage.GroupRoutes;
import dev.tollgate.api.manage.ManagementAuth;
import dev.tollgate.api.manage.UserRoutes;
import dev.tollgate.api.manage.BudgetRoutes;
import dev.tollgate.api.manage.ChannelAdminRoutes;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.channel.ChannelRepository;
import dev.tollgate.config.SecretBox;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.db.Database;
import dev.tollgate.db.DatabaseMonitor;
import dev.tollgate.db.Sql;
import dev.tollgate.metrics.AccessLog;
import dev.tollgate.metrics.RequestMetrics;
import dev.tollgate.metrics.UsageWriterGauge;
import dev.tollgate.provider.Providers;
import dev.tollgate.relay.Authentication;
import dev.tollgate.relay.ChannelDisabler;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.ChannelProbe;
import dev.tollgate.relay.ChannelTester;
import dev.tollgate.relay.ChannelRouter;
import dev.tollgate.relay.Failover;
import dev.tollgate.relay.Relays;
import dev.tollgate.relay.Codecs;
import dev.tollgate.relay.ImageFetchPolicy;
import dev.tollgate.relay.ImageFetcher;
import dev.tollgate.protocol.anthropic.AnthropicCodec;
import dev.tollgate.protocol.gemini.GeminiCodec;
import dev.tollgate.protocol.openai.OpenAiCodec;
import dev.tollgate.relay.InFlight;
import dev.tollgate.relay.LocalThoughtSignatures;
import dev.tollgate.relay.StreamSettings;
import dev.tollgate.relay.ThoughtSignatures;
import dev.tollgate.relay.Metering;
import dev.tollgate.relay.QuotaGate;
import dev.tollgate.relay.RateGate;
import dev.tollgate.relay.RequestObserver;
import dev.tollgate.limit.LocalRateLimiter;
import dev.tollgate.limit.RateLimiter;
import dev.tollgate.limit.RedisRateLimiter;
import dev.tollgate.limit.SharedRateLimiter;
import dev.tollgate.redis.PinnedRedis;
import dev.tollgate.redis.RedisConnector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.redis.client.Redis;
import dev.tollgate.limit.PlanBook;
import dev.tollgate.limit.PlanRepository;
import dev.tollgate.relay.ModelList;
import dev.tollgate.relay.UpstreamTimeouts;
import dev.tollgate.usage.TokenEstimator;
import dev.tollgate.usage.UsagePurge;
import dev.tollgate.usage.UsageRepository;
import dev.tollgate.usage.UsageWriter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every object of a running gateway with plain constructors, in
 * dependency order, and takes them down in reverse on {@link #stop}. Reading this file shows the
 * whole object graph.
 */
public final class App implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private final TollgateConfig config;
  private final Database database;
  private final DatabaseMonitor databaseMonitor;
  private final Stores stores;
  private final ExecutorService blocking;
  private final ChannelCatalog catalog;
  private final UsageWriter usageWriter;
  private final PriceBook prices;
  private final LastUseRecorder lastUse;
  private final PlanBook plans;
  private final BudgetBook budgets;
  /** Deletes old usage records (usage.retention_days); null when they are kept forever. */
  private final UsagePurge purge;
  /** One JSON line per request; null with log.access_off. */
  private final AccessLog accessLog;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** This node's own rate-limit counters: the limiter without Redis, the fail-open fallback with it. */
  private final LocalRateLimiter localLimiter = new LocalRateLimiter(System::nanoTime);
  private Redis redis;
  /** Sends the TPM corrections still waiting on this node this often (RedisRateLimiter). */
  private static final long RATE_CORRECTION_FLUSH_MS = 200;
  private RedisRateLimiter redisLimiter;
  private final QuotaLedger ledger = new QuotaLedger(System::nanoTime);
  private static final long LEDGER_SWEEP_MS = 60_000;
  /** How far behind a key's lastUsedAt may be. */
  static final long LAST_USE_FLUSH_MS = 5_000;
  private final ChannelHealth channelHealth;
  private ChannelProbe probe;
  private final InFlight inFlight = new InFlight();
  private final Vertx vertx;
  private final List<HttpClientAgent> upstreamClients = new CopyOnWriteArrayList<>();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private boolean stopped;

  private App(TollgateConfig config) {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.database = Database.open(config);
    this.databaseMonitor = DatabaseMonitor.watching(database).start(1000);
    PriceRepository priceRepository;
    UsageRepository usageRepository;
    try {
      this.stores = Stores.open(database, config, clock);
      DeclaredConfig.apply(config, stores);
      priceRepository = new PriceRepository(stores.sql(), clock);
      DeclaredConfig.applyPrices(config.billing(), priceRepository);
      DeclaredConfig.applyPlans(config.rateLimits(), new PlanRepository(stores.sql()));
      usageRepository = new UsageRepository(stores.sql());
      if (!config.billing().skipReconciliation()) {
        int mended = usageRepository.reconcileSpent();
        if (mended > 0) {
          LOG.warn("start-up reconciliation: {} accounts and keys had a spent quota other than the sum of their usage records;"
              + " set to the sum", mended);
        }
      }
    } catch (RuntimeException e) { // a missing secret key, a bad declaration: release the pool before failing
      databaseMonitor.close();
      database.close();
      throw e;
    }
    this.blocking = Executors.newVirtualThreadPerTaskExecutor();
    this.catalog = new ChannelCatalog(stores.channels()).start(1000);
    this.prices = new PriceBook(priceRepository, config.billing().freeModels()).start(1000);
    this.lastUse = new LastUseRecorder(stores.keys()).start(LAST_USE_FLUSH_MS);
    PlanRepository planRepository = new PlanRepository(stores.sql());
    this.plans = new PlanBook(planRepository).start(1000);
    BudgetRepository budgetRepository = new BudgetRepository(stores.sql());
    this.usageWriter = new UsageWriter(usageRepository, config.usage().batchSize(), config.usage().flushIntervalMs());
    this.budgets = new BudgetBook(budgetRepository, usageWriter, clock).start();
    int retentionDays = config.usage().retentionDays();
    this.purge = retentionDays == 0 ? null
        : new UsagePurge(usageRepository, Duration.ofDays(retentionDays), clock).start(Duration.ofHours(1));

    // One event loop per core by default (Vert.x defaults to two): a proxy hop is short work per
    // request, and extra loops on a small machine only add context switches (bench/: 0.36 → 0.42).
    VertxOptions vertxOptions = new VertxOptions()
        .setPreferNativeTransport(true) // epoll on Linux; Vert.x falls back to NIO elsewhere
        .setEventLoopPoolSize(
            config.server().eventLoops() > 0 ? config.server().eventLoops() : Runtime.getRuntime().availableProcessors());
    this.vertx = Vertx.vertx(vertxOptions);
    // Balances of accounts idle for half an hour leave memory; only once the store has every charge
    // (the next request seeds them from there again).
    vertx.setPeriodic(LEDGER_SWEEP_MS, id -> blocking.execute(() -> {
      if (usageWriter.pending() == 0) {
        ledger.evictIdle(TimeUnit.MINUTES.toNanos(30));
      }
      localLimiter.sweep(); // limit states equal to a fresh one
    }));
    Authentication authentication = new Authentication(vertx, new KeyAuthenticator(
        stores.callers(), blocking, databaseMonitor::isUp, clock, Duration.ofSeconds(config.database().outageGraceSeconds())),
        lastUse, clock);
    ChannelRouter router = new ChannelRouter(catalog);
    TollgateConfig.Routing routing = config.routing();
    this.channelHealth = new ChannelHealth(routing.circuit(), clock, routing.deadlineMs());
    ChannelDisabler disabler = new ChannelDisabler(stores.channels(), catalog, blocking);
    Failover failover = new Failover(routing, channelHealth, disabler);
    Providers providers = Providers.builtIn();
    Codecs codecs = new Codecs(List.of(new OpenAiCodec(), new AnthropicCodec(), new GeminiCodec()));
    TokenEstimator estimator = new TokenEstimator();
    RateGate rates = new RateGate(rateLimiter(config), plans, config.billing().reserveOutputTokens(), metrics);
    UsageWriterGauge.register(metrics, usageWriter);
    RequestMetrics requestMetrics = new RequestMetrics(metrics, channelHealth);
    this.accessLog = config.log().accessOff() ? null : AccessLog.open(config.log(), metrics);
    List<RequestObserver> observers = accessLog == null ? List.of(requestMetrics) : List.of(requestMetrics, accessLog);
    Metering metering = new Metering(usageWriter, estimator, ledger, rates, observers);
    QuotaGate quota = new QuotaGate(prices, ledger, budgets, config.billing().reserveOutputTokens(),
        !config.billing().hideQuotaHeaders(), new java.math.BigDecimal(config.accounts().byokFeeRatio()));
    UpstreamTimeouts timeouts = new UpstreamTimeouts(config.upstream().firstByteTimeoutMs(), config.upstream().idleTimeoutMs());
    ModelList models = new ModelList(authentication, catalog, codecs);
    // One store for every event loop: a client's next turn may land on another loop.
    ThoughtSignatures signatures = new LocalThoughtSignatures(config.protocols().gemini().thoughtSignatureCacheEntries());
    TollgateConfig.Images imageConfig = config.images();
    ImageFetchPolicy imagePolicy = new ImageFetchPolicy(imageConfig.fetchAllowHttp(),
        imageConfig.fetchAllowPrivateAddresses(), imageConfig.fetchMaxBytes(), imageConfig.fetchTimeoutMs(),
        ImageFetchPolicy.DEFAULT_MAX_REDIRECTS);
    StreamSettings streams = new StreamSettings(16 * 1024 * 1024, config.server().streamKeepaliveSeconds() * 1000L);
    ManagementAuth managementAuth = new ManagementAuth(stores.accounts(), stores.users(), config.admin().token());
    UserRoutes userRoutes = new UserRoutes(stores.accounts(),
        new UserAdministration(stores.users(), stores.accounts(), stores.providerKeys()), providers.kinds(), planRepository);
    GroupRoutes groupRoutes = new GroupRoutes(stores.groups());
    PriceRoutes priceRoutes = new PriceRoutes(priceRepository, prices, stores.groups(), catalog);
    RedemptionRepository redemptionCodes = new RedemptionRepository(stores.sql(), clock);
    TokenRoutes tokenRoutes = new TokenRoutes(stores.keyService(), stores.keys(), stores.users(), planRepository);
    PlanRoutes planRoutes = new PlanRoutes(planRepository, plans);
    ProviderKeyRoutes providerKeyRoutes = new ProviderKeyRoutes(stores.providerKeys(), stores.users(), providers);
    WalletRoutes walletRoutes = new WalletRoutes(new Redemptions(redemptionCodes), redemptionCodes, stores.users(),
        usageRepository, clock);
    UsageLogRoutes usageLogRoutes = new UsageLogRoutes(usageRepository, new StatsRepository(stores.sql()),
        new AttributionRepository(stores.sql()), clock);
    BudgetRoutes budgetRoutes = new BudgetRoutes(budgetRepository, budgets, stores.users(), clock);
    int instances = vertxOptions.getEventLoopPoolSize();
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setConnectTimeout(config.upstream().connectTimeoutMs())
        .setKeepAlive(true)
        .setTcpNoDelay(true);
    PoolOptions poolOptions = new PoolOptions()
        .setHttp1MaxSize(Math.max(1, config.upstream().maxConnectionsPerHost() / instances));
    // Each event loop gets its own upstream client (created on that loop), so a request and its
    // upstream connection share one thread: a shared pool hands connections across loops, and
    // every hop costs a wake-up (measured: NioIoHandler.wakeup at the top of the profile).
    Function<Vertx, Handler<HttpServerRequest>> routes = loop -> {
      HttpClientAgent client = loop.createHttpClient(clientOptions, poolOptions);
      upstreamClients.add(client);
      ImageFetcher images = ImageFetcher.create(loop, imagePolicy);
      Relays chat = Relays.create(
          loop, client, authentication, router, failover, providers, codecs, images, metering, quota, rates, timeouts,
          inFlight, clock, signatures, config.protocols().openai().reasoningContent(), streams);
      ManagementApi admin = new ManagementApi(managementAuth, List.of(userRoutes, groupRoutes, tokenRoutes,
          providerKeyRoutes, priceRoutes, walletRoutes, planRoutes, usageLogRoutes, budgetRoutes,
          new ChannelAdminRoutes(loop, stores.channels(), catalog, providers,
              new ChannelTester(loop, client, providers, codecs, timeouts), channelHealth)));
      return HttpApi.router(loop, config.server().bodyLimitBytes(), config.server().uploadLimitBytes(), chat, models, databaseMonitor::isUp, admin, metrics);
    };

    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setTcpNoDelay(true)
        .setIdleTimeout(0);
    try {
      await(vertx.deployVerticle(
          () -> new GatewayVerticle(serverOptions, routes, servers),
          new DeploymentOptions().setInstances(instances)));
    } catch (RuntimeException e) {
      stop(); // the port may be taken: release threads, pool and database before failing
      throw e;
    }
    if (routing.probeIntervalSeconds() > 0) {
      HttpClientAgent probeClient = vertx.createHttpClient(clientOptions);
      upstreamClients.add(probeClient);
      probe = new ChannelProbe(vertx, probeClient, catalog, channelHealth, disabler, providers, timeouts)
          .start(routing.probeIntervalSeconds() * 1000L);
    }

    LOG.info("Tollgate listening on {}:{} ({} event loops, {} transport, database {} at {}, redis {}, admin token {})",
        config.server().host(), config.server().port(), instances, vertx.isNativeTransportEnabled() ? "epoll" : "nio",
        database.dialect(), database.describe(), config.redis().describe(), config.admin().token() == null ? "off" : "on");
  }

  /** This node's counters alone, or with Redis configured the counters every node shares. */
  private RateLimiter rateLimiter(TollgateConfig config) {
    TollgateConfig.Redis redisConfig = config.redis();
    if (!redisConfig.enabled()) {
      return localLimiter;
    }
    Redis pool = RedisConnector.client(vertx, redisConfig);
    redis = new PinnedRedis(pool, redisConfig.timeoutMs());
    redisLimiter = new RedisRateLimiter(redis, redisConfig.keyPrefix(), null,
        TimeUnit.SECONDS.toMillis(config.rateLimits().concurrencyLeaseSeconds()));
    vertx.setPeriodic(RATE_CORRECTION_FLUSH_MS, id -> redisLimiter.flush()); // a failed one is kept for the next
    // Say at start whether Redis answers, and load the scripts: through the pool, without the
    // per-command bound, since a first connection (TLS, HELLO) may take longer than a command may.
    try {
      RedisRateLimiter.loadScripts(pool).await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Redis at {} does not answer yet ({}); rate limits are {} until it does", redisConfig.describe(),
          e.toString(), config.rateLimits().failOpen() ? "per node (fail-open)" : "refused (fail-closed)");
    }
    return new SharedRateLimiter(redisLimiter, localLimiter, config.rateLimits().failOpen(), System::nanoTime, metrics);
  }

  /** Starts a gateway; fails fast (and releases what it opened) if any part cannot start. */
  public static App start(TollgateConfig config) {
    return new App(config);
  }

  public int port() {
    return servers.isEmpty() ? config.server().port() : servers.get(0).actualPort();
  }

  public Stores stores() {
    return stores;
  }

  public UsageWriter usageWriter() {
    return usageWriter;
  }

  public PriceBook prices() {
    return prices;
  }

  public PlanBook plans() {
    return plans;
  }

  public LastUseRecorder lastUse() {
    return lastUse;
  }

  /** Every meter of this gateway ({@code /metrics}). */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public QuotaLedger ledger() {
    return ledger;
  }

  public ChannelCatalog catalog() {
    return catalog;
  }

  /** The circuit of every channel this node has called (for the admin API). */
  public ChannelHealth channelHealth() {
    return channelHealth;
  }

  /**
   * Graceful stop: refuse new requests, let in-flight ones (streams too) finish within the grace
   * period, then write every pending usage record before closing the database. Idempotent.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long graceMs = TimeUnit.SECONDS.toMillis(config.server().shutdownGraceSeconds());
    LOG.info("stopping: draining {} in-flight requests (grace {} ms)", inFlight.count(), graceMs);
    inFlight.startDraining();
    try {
      Future.all(servers.stream().map(s -> s.shutdown(Duration.ofMillis(graceMs))).toList())
          .await(graceMs + 5_000, TimeUnit.MILLISECONDS);
      int left = inFlight.awaitIdle(2_000);
      if (left > 0) {
        LOG.warn("{} requests still in flight after the grace period; they are cut and metered", left);
      }
    } catch (Exception e) {
      LOG.warn("server shutdown: {}", e.toString());
    }
    if (probe != null) {
      probe.close();
    }
    try {
      if (redis != null) {
        try {
          redisLimiter.flush().await(2, TimeUnit.SECONDS); // the last TPM corrections, for the other nodes
        } catch (Exception e) {
          LOG.warn("rate limits: the last TPM corrections did not reach Redis: {}", e.toString());
        }
        redis.close().await(5, TimeUnit.SECONDS);
      }
      for (HttpClientAgent client : upstreamClients) {
        client.close().await(5, TimeUnit.SECONDS);
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("event loop shutdown: {}", e.toString());
    }
    if (accessLog != null) {
      accessLog.close(); // after the event loops: no request is metered any more
    }
    catalog.close();
    prices.close();
    plans.close();
    budgets.close();
    if (purge != null) {
      purge.close();
    }
    lastUse.close();
    boolean flushed = usageWriter.close(60_000);
    LOG.info("usage records written: {}{}", usageWriter.written(), flushed ? "" : " (some could not be written!)");
    blocking.shutdown();
    databaseMonitor.close();
    database.close();
  }

  @Override
  public void close() {
    stop();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("start-up failed: " + e.getMessage(), e);
    }
  }

  /**
   * The repositories over one database, and what every process using it needs first: the secret
   * box, the root admin (created on the very first start), the session signer.
   */
  public record Stores(
      Sql sql,
      SecretBox secrets,
      ApiKeyRepository keys,
      ChannelRepository channels,
      KeyService keyService,
      UserRepository users,
      GroupRepository groups,
      User root,
      AccountService accounts,
      ProviderKeyRepository providerKeys) {
    public static Stores open(Database database, TollgateConfig config, Clock clock) {
      Sql sql = new Sql(database.dataSource());
      SettingsRepository settings = new SettingsRepository(sql, clock);
      SecretBox secrets = SecretBox.fromConfig(config,
          ChannelRepository.holdsSecrets(sql) || ProviderKeyRepository.holdsSecrets(sql));
      ApiKeyRepository keys = new ApiKeyRepository(sql, clock);
      ChannelRepository channels = new ChannelRepository(sql, secrets, clock);
      channels.verifySecretKey(); // a wrong key stops the start, not every request later
      ProviderKeyRepository providerKeys = new ProviderKeyRepository(sql, secrets, clock);
      providerKeys.verifySecretKey();
      UserRepository users = new UserRepository(sql, clock);
      GroupRepository groups = new GroupRepository(sql, clock);
      TollgateConfig.Accounts accountConfig = config.accounts();
      User root = AccountBootstrap.ensureRoot(users, keys, accountConfig.rootPassword(), System.out);
      Sessions sessions = AccountBootstrap.sessions(accountConfig, settings, secrets, clock);
      AccountService accounts = new AccountService(users, groups, sessions, new LoginThrottle(clock), accountConfig);
      return new Stores(sql, secrets, keys, channels, new KeyService(keys, accountConfig.keyPrefix()), users, groups,
          root, accounts, providerKeys);
    }

    public StoredCallers callers() {
      return new StoredCallers(keys, users, groups, providerKeys);
    }
  }
}

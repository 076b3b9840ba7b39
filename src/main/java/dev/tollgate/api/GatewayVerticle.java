package dev.tollgate.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.Function;

/**
 * One HTTP server on one event loop. The gateway deploys one instance per event loop on the same
 * port (Vert.x spreads connections across them); a single server would use one core only.
 */
public final class GatewayVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<Vertx, Handler<HttpServerRequest>> routes;
  private final List<HttpServer> servers;

  /** @param servers collects the started servers, for a graceful shutdown */
  public GatewayVerticle(HttpServerOptions options, Function<Vertx, Handler<HttpServerRequest>> routes, List<HttpServer> servers) {
    this.options = options;
    this.routes = routes;
    this.servers = servers;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options)
        .requestHandler(routes.apply(vertx))
        .listen()
        .onSuccess(servers::add);
  }
}

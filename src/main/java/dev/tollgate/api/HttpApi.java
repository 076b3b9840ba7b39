package dev.tollgate.api;

import dev.tollgate.api.manage.ManagementApi;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.openai.OpenAiErrors;
import dev.tollgate.relay.Relays;
import dev.tollgate.relay.UploadBody;
import dev.tollgate.relay.ModelList;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every HTTP route of the gateway, in one place. */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  private HttpApi() {}

  /** The gateway's routes for one event loop. */
  public static Handler<HttpServerRequest> router(
      Vertx vertx, long bodyLimitBytes, long uploadLimitBytes, Relays relays, ModelList models, BooleanSupplier databaseUp, ManagementApi admin,
      PrometheusMeterRegistry metrics) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimitBytes).setHandleFileUploads(false);

    router.get("/health").handler(rc -> health(rc, databaseUp));
    router.get("/metrics").handler(rc -> rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    admin.mount(router, body);

    for (String path : new String[] {"/v1/chat/completions", "/chat/completions"}) {
      router.post(path).handler(body).handler(relays.openAi()::handle);
    }
    for (String path : new String[] {"/v1/embeddings", "/embeddings"}) {
      router.post(path).handler(body).handler(relays.embeddings()::handle);
    }
    for (String prefix : new String[] {"/v1", ""}) {
      router.post(prefix + "/images/generations").handler(body).handler(relays.images()::handle);
      router.post(prefix + "/audio/speech").handler(body).handler(relays.speech()::handle);
      // Audio files: read once, up to their own limit, by UploadBody rather than the JSON body handler.
      router.post(prefix + "/audio/transcriptions").handler(new UploadBody(uploadLimitBytes))
          .handler(relays.transcriptions()::handle);
      router.post(prefix + "/audio/translations").handler(new UploadBody(uploadLimitBytes))
          .handler(relays.translations()::handle);
    }
    relays.anthropicTokens().ifPresent(tokens -> {
      for (String path : new String[] {"/v1/messages/count_tokens", "/messages/count_tokens"}) {
        router.post(path).handler(body).handler(tokens::handle);
      }
    });
    relays.anthropic().ifPresent(messages -> {
      for (String path : new String[] {"/v1/messages", "/messages"}) {
        router.post(path).handler(body).handler(messages::handle);
      }
    });
    // The model id and the action share the last segment: models/gemini-2.5-flash:generateContent.
    String geminiTarget = "/(?:v1beta/)?models/(?<" + Relays.GEMINI_TARGET + ">[^/]+)";
    relays.geminiTokens().ifPresent(tokens -> router
        .postWithRegex(geminiTarget.replace("[^/]+)", "[^/]+:countTokens)"))
        .handler(body)
        .handler(tokens::handle));
    relays.geminiEmbedContent().ifPresent(embed -> router
        .postWithRegex(geminiTarget.replace("[^/]+)", "[^/]+:embedContent)"))
        .handler(body)
        .handler(embed::handle));
    relays.geminiBatchEmbedContents().ifPresent(embed -> router
        .postWithRegex(geminiTarget.replace("[^/]+)", "[^/]+:batchEmbedContents)"))
        .handler(body)
        .handler(embed::handle));
    relays.gemini().ifPresent(gemini -> router.postWithRegex(geminiTarget).handler(body).handler(gemini::handle));
    for (String path : new String[] {"/v1/models", "/models"}) {
      router.get(path).handler(models::list);
    }
    // Model ids may hold slashes (org/model), so the rest of the path is the id.
    router.getWithRegex("/(?:v1/)?models/(?<id>.+)").handler(rc -> models.one(rc, rc.pathParam("id")));
    router.get("/v1beta/models").handler(models::listGemini);
    router.getWithRegex("/v1beta/models/(?<id>.+)").handler(rc -> models.oneGemini(rc, rc.pathParam("id")));

    router.route().last().handler(rc -> openAiError(rc, GatewayError.of(ErrorCode.NOT_FOUND,
        "no route for " + rc.request().method() + " " + rc.request().path())));
    router.errorHandler(405, rc -> openAiError(rc, GatewayError.of(ErrorCode.METHOD_NOT_ALLOWED,
        rc.request().method() + " is not allowed on " + rc.request().path())));
    router.errorHandler(413, rc -> openAiError(rc, GatewayError.of(ErrorCode.REQUEST_TOO_LARGE,
        "the request body is larger than the limit of " + bodyLimitBytes + " bytes")));
    router.errorHandler(400, rc -> openAiError(rc, GatewayError.invalid(null, "the request could not be read")));
    router.errorHandler(500, rc -> {
      LOG.error("unhandled failure on {} {}", rc.request().method(), rc.request().path(), rc.failure());
      openAiError(rc, GatewayError.of(ErrorCode.INTERNAL_ERROR, "internal error; the gateway logged the details"));
    });
    return router;
  }

  /**
   * Health reads what the database monitor last saw (it probes every second on its own thread):
   * no JDBC call here, so a slow database cannot pile up health checks.
   */
  private static void health(RoutingContext rc, BooleanSupplier databaseUp) {
    boolean up = databaseUp.getAsBoolean();
    rc.response()
        .setStatusCode(up ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(up ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\",\"database\":\"down\"}");
  }

  static void openAiError(RoutingContext rc, GatewayError error) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(Buffer.buffer(OpenAiErrors.body(error)));
  }

}

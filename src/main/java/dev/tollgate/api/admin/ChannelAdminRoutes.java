package dev.tollgate.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.channel.ChannelRepository;
import dev.tollgate.channel.ChannelSpec;
import dev.tollgate.channel.ChannelStatus;
import dev.tollgate.provider.Providers;
import dev.tollgate.relay.ChannelHealth;
import dev.tollgate.relay.ChannelTester;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code /api/channel}: list, read, create, update, delete and try channels. Storage work runs off
 * the event loop; every change reloads the channel catalog at once, so requests see it before the
 * answer is sent (other nodes within their one-second poll).
 */
public final class ChannelAdminRoutes {

  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  private final Vertx vertx;
  private final ChannelRepository channels;
  private final ChannelCatalog catalog;
  private final Providers providers;
  private final ChannelTester probe;
  private final ChannelHealth health;

  public ChannelAdminRoutes(Vertx vertx, ChannelRepository channels, ChannelCatalog catalog, Providers providers,
      ChannelTester probe, ChannelHealth health) {
    this.vertx = vertx;
    this.channels = channels;
    this.catalog = catalog;
    this.providers = providers;
    this.probe = probe;
    this.health = health;
  }

  public void mount(Router router, BodyHandler body) {
    router.get("/api/channel").handler(answering(this::list));
    router.post("/api/channel").handler(body).handler(answering(this::create));
    router.get("/api/channel/:id").handler(answering(this::one));
    router.put("/api/channel/:id").handler(body).handler(answering(this::update));
    router.delete("/api/channel/:id").handler(answering(this::delete));
    router.post("/api/channel/:id/test").handler(body).handler(answering(this::test));
  }

  private void list(RoutingContext rc) {
    int page = positive(rc, "page", 1, Integer.MAX_VALUE);
    int pageSize = positive(rc, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    reply(rc, 200, blocking(() -> {
      long total = channels.countVisible();
      ObjectNode answer = AdminReplies.JSON.createObjectNode();
      ArrayNode data = answer.putArray("data");
      long offset = (long) (page - 1) * pageSize;
      if (offset < total) {
        Map<Long, String> reasons = channels.statusReasons();
        Map<Long, ChannelHealth.Status> circuits = health.snapshot();
        channels.listVisible((int) offset, pageSize)
            .forEach(c -> data.add(ChannelJson.view(c, reasons.get(c.id()), circuits.get(c.id()))));
      }
      return answer.put("page", page).put("pageSize", pageSize).put("total", total);
    }));
  }

  private void one(RoutingContext rc) {
    long id = id(rc);
    reply(rc, 200, blocking(() -> view(existing(id))));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    ChannelSpec spec = knownType(ChannelJson.forCreate(body));
    Optional<ChannelStatus> status = ChannelJson.status(body);
    reply(rc, 201, blocking(() -> {
      if (channels.findByName(spec.name()).isPresent()) {
        throw AdminProblem.conflict("a channel named '" + spec.name() + "' exists already");
      }
      return changed(channels.insert(spec, status.orElse(ChannelStatus.ENABLED)).id());
    }));
  }

  private void update(RoutingContext rc) {
    long id = id(rc);
    JsonNode body = body(rc);
    Optional<ChannelStatus> status = ChannelJson.status(body);
    reply(rc, 200, blocking(() -> {
      ChannelSpec spec = knownType(ChannelJson.forUpdate(existing(id), body));
      Optional<Channel> sameName = channels.findByName(spec.name());
      if (sameName.isPresent() && sameName.get().id() != id) {
        throw AdminProblem.conflict("a channel named '" + spec.name() + "' exists already");
      }
      if (channels.update(id, spec).isEmpty()) {
        throw notFound(id);
      }
      status.ifPresent(s -> channels.setStatus(id, s));
      return changed(id);
    }));
  }

  private void delete(RoutingContext rc) {
    long id = id(rc);
    blocking(() -> {
      if (!channels.setStatus(id, ChannelStatus.DELETED)) {
        throw notFound(id);
      }
      catalog.reload();
      return id;
    }).onSuccess(deleted -> AdminReplies.noContent(rc)).onFailure(err -> AdminReplies.fail(rc, err));
  }

  /** {@code ?model=} one of the channel's models; by default the first in sorted order. */
  private void test(RoutingContext rc) {
    long id = id(rc);
    String wanted = rc.request().getParam("model");
    blocking(() -> existing(id))
        .compose(channel -> {
          String model = wanted == null || wanted.isBlank() ? channel.sortedModels().get(0) : wanted;
          if (!channel.serves(model)) {
            return Future.failedFuture(AdminProblem.invalid("channel " + id + " does not serve the model '" + model + "'"));
          }
          return probe.probe(channel, model); // back on this event loop: the probe uses its upstream client
        })
        .onSuccess(result -> {
          ObjectNode answer = AdminReplies.JSON.createObjectNode()
              .put("ok", result.ok())
              .put("status", result.status())
              .put("latencyMs", result.latencyMs())
              .put("model", result.model());
          if (result.error() != null) {
            answer.put("error", result.error());
          }
          AdminReplies.json(rc, 200, answer);
        })
        .onFailure(err -> AdminReplies.fail(rc, err));
  }

  /** The channel as stored now, after reloading the catalog so that routing sees it too. */
  private ObjectNode changed(long id) {
    catalog.reload();
    return view(existing(id));
  }

  /** With why the gateway disabled it, if it did, and its circuit breaker on this node. */
  private ObjectNode view(Channel channel) {
    return ChannelJson.view(channel, channels.statusReason(channel.id()).orElse(null), health.snapshot().get(channel.id()));
  }

  private Channel existing(long id) {
    return channels.findById(id).filter(c -> c.status() != ChannelStatus.DELETED).orElseThrow(() -> notFound(id));
  }

  private ChannelSpec knownType(ChannelSpec spec) {
    if (providers.find(spec.type()).isEmpty()) {
      throw AdminProblem.invalid("unknown type '" + spec.type() + "'; known: " + providers.kinds().stream().sorted().toList());
    }
    return spec;
  }

  private static AdminProblem notFound(long id) {
    return AdminProblem.notFound("there is no channel " + id);
  }

  private static long id(RoutingContext rc) {
    try {
      return Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      throw AdminProblem.invalid("a channel id is a number");
    }
  }

  private static JsonNode body(RoutingContext rc) {
    Buffer buffer = rc.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw AdminProblem.invalid("the request body is empty; send a JSON object");
    }
    try {
      return AdminReplies.JSON.readTree(buffer.getBytes());
    } catch (IOException e) {
      // Not the parser's message: it may quote the body, and the body may hold keys.
      throw AdminProblem.invalid("the request body is not valid JSON");
    }
  }

  private static int positive(RoutingContext rc, String name, int fallback, int max) {
    String value = rc.request().getParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed >= 1 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw AdminProblem.invalid("'" + name + "' must be a whole number from 1 to " + max);
  }

  /** Runs storage work on a worker thread; the future completes back on this event loop. */
  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private static <T> void reply(RoutingContext rc, int status, Future<T> answer) {
    answer.onSuccess(body -> AdminReplies.json(rc, status, body)).onFailure(err -> AdminReplies.fail(rc, err));
  }

  /** A handler whose bad input (thrown before any storage work) is answered, not turned into a 500. */
  private static Handler<RoutingContext> answering(Handler<RoutingContext> handler) {
    return rc -> {
      try {
        handler.handle(rc);
      } catch (RuntimeException e) {
        AdminReplies.fail(rc, e);
      }
    };
  }
}

package dev.tollgate.api.manage;

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
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code /api/channel}: list, read, create, update, delete and try channels. Storage work runs off
 * the event loop; every change reloads the channel catalog at once, so requests see it before the
 * answer is sent (other nodes within their one-second poll).
 */
public final class ChannelAdminRoutes implements ManagementRoutes {

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

  @Override
  public void mount(Router router, BodyHandler body) {
    router.route("/api/channel*").handler(ManagementAuth::adminOnly);
    router.get("/api/channel").handler(answering(this::list));
    router.post("/api/channel").handler(body).handler(answering(this::create));
    router.get("/api/channel/:id").handler(answering(this::one));
    router.put("/api/channel/:id").handler(body).handler(answering(this::update));
    router.delete("/api/channel/:id").handler(answering(this::delete));
    router.post("/api/channel/:id/test").handler(body).handler(answering(this::test));
  }

  private void list(RoutingContext rc) {
    Requests.Page paging = Requests.page(rc);
    int page = paging.page();
    int pageSize = paging.size();
    reply(rc, 200, blocking(() -> {
      long total = channels.countVisible();
      ObjectNode answer = Replies.JSON.createObjectNode();
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
        throw Problem.conflict("a channel named '" + spec.name() + "' exists already");
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
        throw Problem.conflict("a channel named '" + spec.name() + "' exists already");
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
    }).onSuccess(deleted -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** {@code ?model=} one of the channel's models; by default the first in sorted order. */
  private void test(RoutingContext rc) {
    long id = id(rc);
    String wanted = rc.request().getParam("model");
    blocking(() -> existing(id))
        .compose(channel -> {
          String model = wanted == null || wanted.isBlank() ? channel.sortedModels().get(0) : wanted;
          if (!channel.serves(model)) {
            return Future.failedFuture(Problem.invalid("channel " + id + " does not serve the model '" + model + "'"));
          }
          return probe.probe(channel, model); // back on this event loop: the probe uses its upstream client
        })
        .onSuccess(result -> {
          ObjectNode answer = Replies.JSON.createObjectNode()
              .put("ok", result.ok())
              .put("status", result.status())
              .put("latencyMs", result.latencyMs())
              .put("model", result.model());
          if (result.error() != null) {
            answer.put("error", result.error());
          }
          Replies.json(rc, 200, answer);
        })
        .onFailure(err -> Replies.fail(rc, err));
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
      throw Problem.invalid("unknown type '" + spec.type() + "'; known: " + providers.kinds().stream().sorted().toList());
    }
    return spec;
  }

  private static Problem notFound(long id) {
    return Problem.notFound("there is no channel " + id);
  }

  private static long id(RoutingContext rc) {
    return Requests.id(rc, "channel");
  }

  private static JsonNode body(RoutingContext rc) {
    return Requests.body(rc);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private static <T> void reply(RoutingContext rc, int status, Future<T> answer) {
    Requests.reply(rc, status, answer);
  }

  private static Handler<RoutingContext> answering(Handler<RoutingContext> handler) {
    return Requests.answering(handler);
  }
}

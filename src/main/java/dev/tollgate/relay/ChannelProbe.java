package dev.tollgate.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelCatalog;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpHeaders;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks each channel whose circuit is open, every interval, for a one-token answer: an upstream
 * that answers closes its circuit before the cool-down ends, one that still fails starts a new
 * cool-down. A chat request rather than a model list, because a list often still works while
 * chat is down (overloaded); one token costs next to nothing. Runs on an event loop, never blocks.
 */
public final class ChannelProbe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelProbe.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final ChannelCatalog catalog;
  private final ChannelHealth health;
  private final ChannelDisabler disabler;
  private final Providers providers;
  private final UpstreamTimeouts timeouts;
  private final Set<Long> probing = ConcurrentHashMap.newKeySet();
  private long timerId = -1;

  public ChannelProbe(
      Vertx vertx, HttpClientAgent client, ChannelCatalog catalog, ChannelHealth health, ChannelDisabler disabler,
      Providers providers, UpstreamTimeouts timeouts) {
    this.vertx = vertx;
    this.client = client;
    this.catalog = catalog;
    this.health = health;
    this.disabler = disabler;
    this.providers = providers;
    this.timeouts = timeouts;
  }

  public ChannelProbe start(long intervalMs) {
    timerId = vertx.setPeriodic(intervalMs, id -> probeOpenCircuits());
    return this;
  }

  void probeOpenCircuits() {
    for (long id : health.openChannels()) {
      catalog.enabled(id).ifPresent(channel -> {
        if (probing.add(id)) { // one probe per channel at a time, however slow it is
          probe(channel);
        }
      });
    }
  }

  private void probe(Channel channel) {
    Optional<Provider> provider = providers.find(channel.type());
    if (provider.isEmpty() || channel.models().isEmpty()) {
      probing.remove(channel.id());
      return;
    }
    String model = channel.upstreamModel(channel.models().stream().sorted().findFirst().orElseThrow());
    // Sent as requests are: the channel's keys in turn and its extra headers.
    MultiMap headers = UpstreamHeaders.forChannel(provider.get(), channel, "application/json", java.util.Map.of());
    String url = provider.get().chatUrl(channel.baseUrl(), model, false);
    UpstreamCall call = new UpstreamCall(vertx, timeouts.forChannel(channel.timeouts()));
    CircuitBreaker breaker = health.of(channel.id());
    call.send(client, url, headers, oneTokenRequest(provider.get().protocol(), model))
        .compose(response -> response.body().map(body -> {
          call.finish();
          int status = response.statusCode();
          UpstreamVerdict verdict = status < 400 ? null : UpstreamVerdict.of(status, body.getBytes(), channel.secrets().all());
          if (verdict == null || verdict.kind() == UpstreamVerdict.Kind.CLIENT_ERROR) {
            LOG.info("channel {} answers again (probe: HTTP {}); its circuit is closed", channel.id(), status);
            breaker.onProbeSuccess();
          } else if (verdict.kind() == UpstreamVerdict.Kind.CHANNEL_UNUSABLE) {
            disabler.disable(channel, verdict.channelFault());
          } else {
            breaker.onProbeFailure();
          }
          return status;
        }))
        .onFailure(err -> {
          call.finish();
          breaker.onProbeFailure();
        })
        .onComplete(done -> probing.remove(channel.id()));
  }

  /** The smallest chat request each protocol takes. */
  static byte[] oneTokenRequest(WireProtocol protocol, String model) {
    ObjectNode body = JSON.createObjectNode();
    switch (protocol) {
      case OPENAI -> {
        body.put("model", model).put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
      }
      case ANTHROPIC -> {
        body.put("model", model).put("max_tokens", 1);
        body.putArray("messages").addObject().put("role", "user").put("content", "ping");
      }
      case GEMINI -> {
        body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", "ping");
        body.putObject("generationConfig").put("maxOutputTokens", 1);
      }
    }
    return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}

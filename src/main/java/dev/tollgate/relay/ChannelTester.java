package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.channel.ChannelSecrets;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Providers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tries a channel with the smallest real request — "hi", at most one token, not streamed — sent
 * the way requests are (its keys in turn, its parameter overrides, extra headers and timeouts),
 * and tells whether it answered, how fast, and the upstream's own words when it did not.
 */
public final class ChannelTester {

  /** An admin waits at most this long, whatever the channel's first-byte timeout. */
  static final long MAX_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Providers providers;
  private final Codecs codecs;
  private final UpstreamTimeouts timeouts;

  public ChannelTester(Vertx vertx, HttpClientAgent client, Providers providers, Codecs codecs, UpstreamTimeouts timeouts) {
    this.vertx = vertx;
    this.client = client;
    this.providers = providers;
    this.codecs = codecs;
    this.timeouts = timeouts;
  }

  /**
   * @param status the upstream's HTTP status, or null when none came (unreachable, timed out)
   * @param error why it is not ok, with the channel's keys masked should the upstream repeat one
   */
  public record Result(boolean ok, Integer status, long latencyMs, String model, String error) {}

  /** Always succeeds: a failing channel is a result, not an error. Call on the client's event loop. */
  public Future<Result> probe(Channel channel, String model) {
    Optional<Provider> provider = providers.find(channel.type());
    Optional<ChatCodec> codec = provider.flatMap(p -> codecs.find(p.protocol()));
    if (codec.isEmpty()) {
      return Future.succeededFuture(new Result(false, null, 0, model, "the type '" + channel.type() + "' cannot be tried"));
    }
    String upstreamModel = channel.upstreamModel(model);
    ChatRequest hi = new ChatRequest(upstreamModel, null, List.of(Message.text(Role.USER, "hi")), null, null, null, 1,
        null, null, null, null, null, null, null, null, null, null, null, false, null);
    byte[] body = channel.paramOverrides().applyTo(codec.get().encodeRequest(hi, upstreamModel).body());
    MultiMap headers = UpstreamHeaders.forChannel(provider.get(), channel, "application/json", Map.of());
    String url = provider.get().chatUrl(channel.baseUrl(), upstreamModel, false);
    UpstreamTimeouts limits = timeouts.forChannel(channel.timeouts());
    UpstreamCall call = new UpstreamCall(vertx, new UpstreamTimeouts(
        limits.connectMs(), Math.min(limits.firstByteMs(), MAX_WAIT_MS), Math.min(limits.idleMs(), MAX_WAIT_MS)));
    long start = System.nanoTime();
    return call.send(client, url, headers, body)
        .compose(response -> response.body().map(bytes -> {
          call.finish();
          int status = response.statusCode();
          boolean ok = status >= 200 && status < 300;
          return new Result(ok, status, millisSince(start), model,
              ok ? null : scrub(channel, describe(status, bytes.getBytes())));
        }))
        .recover(err -> Future.succeededFuture(
            new Result(false, null, millisSince(start), model, UpstreamOutcomes.classify(err, call).message())));
  }

  private static String describe(int status, byte[] body) {
    String message = UpstreamErrors.message(body);
    return "HTTP " + status + (message == null ? "" : ": " + message);
  }

  /** Upstreams sometimes quote the key they refused; the admin API never shows one. */
  private static String scrub(Channel channel, String text) {
    String scrubbed = text;
    for (String secret : channel.secrets().all()) {
      scrubbed = scrubbed.replace(secret, ChannelSecrets.mask(secret));
    }
    return scrubbed;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}

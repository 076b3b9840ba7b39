package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.anthropic.AnthropicPassthrough;
import dev.tollgate.protocol.gemini.GeminiPassthrough;
import dev.tollgate.provider.anthropic.AnthropicProvider;
import dev.tollgate.provider.Providers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chat endpoint of each client protocol, for one event loop: the same pipeline behind each,
 * told apart only by how it reads requests and words errors.
 *
 * @param anthropic empty until an Anthropic codec is registered
 * @param gemini empty until a Gemini codec is registered
 */
public record ChatRelays(
    ChatRelay openAi,
    Optional<ChatRelay> anthropic,
    Optional<ChatRelay> gemini,
    Optional<TokenCount> anthropicTokens,
    Optional<TokenCount> geminiTokens) {

  /** The path parameter the Gemini route puts {@code model:action} in. */
  public static final String GEMINI_TARGET = "target";

  public static ChatRelays create(
      Vertx vertx, HttpClientAgent client, Authentication authentication, ChannelRouter router, Failover failover,
      Providers providers, Codecs codecs, ImageFetcher images, Metering metering, QuotaGate quota, RateGate rates,
      UpstreamTimeouts timeouts, InFlight inFlight, Clock clock, ThoughtSignatures signatures,
      boolean reasoningTextByDefault, StreamSettings streams) {
    ToolCallSignatures toolCallSignatures = new ToolCallSignatures(signatures);
    Admission admission = new Admission(authentication, router, failover, metering, quota, rates, inFlight, clock);
    Function<Ingress, ChatRelay> relay = ingress -> new ChatRelay(
        ingress, admission, vertx, client, providers, codecs, images, timeouts, toolCallSignatures, streams);
    Optional<Ingress> anthropic = codecs.find(WireProtocol.ANTHROPIC).map(codec -> new CodecIngress(
        codec, new AnthropicPassthrough(), AnthropicProvider.CLIENT_HEADERS,
        rc -> ChatCodec.RequestTarget.NONE, rc -> false));
    Optional<Ingress> gemini = codecs.find(WireProtocol.GEMINI).map(codec -> new CodecIngress(
        codec, new GeminiPassthrough(), List.of(),
        rc -> GeminiTarget.parse(rc.pathParam(GEMINI_TARGET)),
        rc -> !"sse".equals(rc.request().getParam("alt"))));
    Function<Ingress, TokenCount> tokens = ingress -> new TokenCount(
        ingress, authentication, router, providers, timeouts, vertx, client, metering.estimator());
    return new ChatRelays(
        relay.apply(new OpenAiIngress(codecs, reasoningTextByDefault)),
        anthropic.map(relay),
        gemini.map(relay),
        anthropic.map(tokens),
        gemini.map(tokens));
  }
}

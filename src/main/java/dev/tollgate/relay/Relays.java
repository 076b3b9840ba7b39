package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.anthropic.AnthropicPassthrough;
import dev.tollgate.protocol.gemini.GeminiPassthrough;
import dev.tollgate.provider.anthropic.AnthropicProvider;
import dev.tollgate.protocol.media.ImageRequest;
import dev.tollgate.protocol.media.SpeechRequest;
import dev.tollgate.protocol.media.TranscriptionRequest;
import dev.tollgate.provider.MediaOperation;
import dev.tollgate.provider.Providers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The relayed endpoints of each client protocol, for one event loop: one {@link Admission} in
 * front of them all, and per endpoint family the same pipeline behind every protocol, told apart
 * only by how it reads requests and words answers and errors.
 *
 * @param anthropic empty until an Anthropic codec is registered
 * @param gemini empty until a Gemini codec is registered
 * @param embeddings OpenAI's {@code /v1/embeddings}
 * @param geminiEmbedContent Gemini's {@code :embedContent}, with a Gemini codec
 * @param geminiBatchEmbedContents Gemini's {@code :batchEmbedContents}, with a Gemini codec
 * @param images OpenAI's {@code /v1/images/generations}
 * @param speech OpenAI's {@code /v1/audio/speech}
 * @param transcriptions OpenAI's {@code /v1/audio/transcriptions}
 * @param translations OpenAI's {@code /v1/audio/translations}
 */
public record Relays(
    ChatRelay openAi,
    Optional<ChatRelay> anthropic,
    Optional<ChatRelay> gemini,
    Optional<TokenCount> anthropicTokens,
    Optional<TokenCount> geminiTokens,
    EmbeddingRelay embeddings,
    Optional<EmbeddingRelay> geminiEmbedContent,
    Optional<EmbeddingRelay> geminiBatchEmbedContents,
    MediaRelay<ImageRequest> images,
    MediaRelay<SpeechRequest> speech,
    MediaRelay<TranscriptionRequest> transcriptions,
    MediaRelay<TranscriptionRequest> translations) {

  /** The path parameter the Gemini route puts {@code model:action} in. */
  public static final String GEMINI_TARGET = "target";

  public static Relays create(
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
    Function<EmbeddingIngress, EmbeddingRelay> embeddings = ingress -> new EmbeddingRelay(
        ingress, admission, vertx, client, providers, timeouts);
    ChatCodec openAiCodec = codecs.find(WireProtocol.OPENAI).orElseThrow();
    Optional<ChatCodec> geminiCodec = codecs.find(WireProtocol.GEMINI);
    return new Relays(
        relay.apply(new OpenAiIngress(codecs, reasoningTextByDefault)),
        anthropic.map(relay),
        gemini.map(relay),
        anthropic.map(tokens),
        gemini.map(tokens),
        embeddings.apply(new EmbeddingIngress(EmbeddingIngress.Shape.OPENAI, openAiCodec)),
        geminiCodec.map(codec -> embeddings.apply(new EmbeddingIngress(EmbeddingIngress.Shape.GEMINI_SINGLE, codec))),
        geminiCodec.map(codec -> embeddings.apply(new EmbeddingIngress(EmbeddingIngress.Shape.GEMINI_BATCH, codec))),
        new MediaRelay<>(new ImageIngress(), admission, vertx, client, providers, timeouts),
        new MediaRelay<>(new SpeechIngress(), admission, vertx, client, providers, timeouts),
        new MediaRelay<>(new TranscriptionIngress(MediaOperation.TRANSCRIPTIONS), admission, vertx, client, providers, timeouts),
        new MediaRelay<>(new TranscriptionIngress(MediaOperation.TRANSLATIONS), admission, vertx, client, providers, timeouts));
  }
}

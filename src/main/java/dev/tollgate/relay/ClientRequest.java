package dev.tollgate.relay;

import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.PassthroughBody;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import io.vertx.core.Future;
import dev.tollgate.billing.BillingUnit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A client's chat request as the pipeline needs it, whatever the protocol it came in: the model,
 * the streaming options, the bytes for a same-protocol passthrough (when that protocol has one),
 * and the canonical form, decoded at most once and only when a channel needs conversion.
 */
public final class ClientRequest {

  private final WireProtocol protocol;
  private final String model;
  private final boolean stream;
  private final boolean clientWantsUsage;
  private final boolean jsonArray;
  private final boolean reasoningText;
  private final PassthroughBody passthrough;
  private final Passthrough meter;
  private final Map<String, String> sameProtocolHeaders;
  private final Supplier<ChatRequest> decode;
  private final Supplier<PromptText> promptText;
  private final Integer maxOutputTokens;
  private UnitRequest units;
  private ChatRequest canonical;
  private Future<ChatRequest> inlined;
  private PromptText prompt;

  /** The prompt's text and message count, for estimating input tokens when usage is missing. */
  record PromptText(String text, int messages) {}

  /**
   * A request billed by units rather than tokens.
   *
   * @param priceNames the price-table names to look the unit price up under, most specific first
   *     (the model with its size and quality, …, the model alone)
   * @param reserve the units its reservation counts: what the request asks for, or a bound
   */
  record UnitRequest(BillingUnit unit, List<String> priceNames, BigDecimal reserve) {}

  private ClientRequest(
      WireProtocol protocol, String model, boolean stream, boolean clientWantsUsage, boolean jsonArray,
      boolean reasoningText, PassthroughBody passthrough, Passthrough meter, Map<String, String> sameProtocolHeaders,
      Supplier<ChatRequest> decode, Supplier<PromptText> promptText, Integer maxOutputTokens) {
    this.protocol = protocol;
    this.model = model;
    this.stream = stream;
    this.clientWantsUsage = clientWantsUsage;
    this.jsonArray = jsonArray;
    this.reasoningText = reasoningText;
    this.passthrough = passthrough;
    this.meter = meter;
    this.sameProtocolHeaders = Map.copyOf(sameProtocolHeaders);
    this.decode = decode;
    this.promptText = promptText;
    this.maxOutputTokens = maxOutputTokens;
  }

  /**
   * A request that can pass through to its own protocol; {@code decode} is run on first need.
   *
   * @param reasoningText the client opted in to reasoning text in converted answers (see {@link
   *     dev.tollgate.protocol.ChatCodec.AnswerOptions})
   * @param maxOutputTokens the most output the client asked for, or null
   */
  static ClientRequest passable(
      WireProtocol protocol, String model, boolean stream, boolean clientWantsUsage, boolean reasoningText,
      PassthroughBody body, Passthrough meter, Supplier<ChatRequest> decode, Supplier<PromptText> promptText,
      Integer maxOutputTokens) {
    return new ClientRequest(protocol, model, stream, clientWantsUsage, false, reasoningText, body, meter, Map.of(),
        decode, promptText, maxOutputTokens);
  }

  /**
   * A request of an endpoint other than chat (embeddings, images, audio): never streamed as chat
   * events nor converted to a chat request; the endpoint's relay keeps its own decoded form.
   *
   * @param promptText what its input tokens are estimated from
   * @param maxOutputTokens the output its reservation counts (0 for endpoints that produce no tokens)
   */
  static ClientRequest ofEndpoint(
      WireProtocol protocol, String model, Supplier<PromptText> promptText, Integer maxOutputTokens) {
    return new ClientRequest(protocol, model, false, false, false, false, null, null, Map.of(),
        () -> {
          throw new IllegalStateException("a " + protocol + " request of another endpoint has no chat form");
        },
        promptText, maxOutputTokens);
  }

  /** The same request, billed by units. */
  ClientRequest billedBy(UnitRequest units) {
    this.units = units;
    return this;
  }

  /** How the request is billed when not by tokens, or null. */
  UnitRequest units() {
    return units;
  }

  /**
   * A request decoded up front (which validates it).
   *
   * @param body for a passthrough to an upstream of the same protocol, or null to always convert
   * @param sameProtocolHeaders client headers an upstream of the same protocol must see (versions, betas)
   */
  static ClientRequest decoded(
      WireProtocol protocol, ChatRequest canonical, boolean jsonArray, PassthroughBody body, Passthrough meter,
      Map<String, String> sameProtocolHeaders) {
    ClientRequest request = new ClientRequest(
        protocol, canonical.model(), canonical.stream(), true, jsonArray, false, body, meter, sameProtocolHeaders,
        () -> canonical, () -> CanonicalText.prompt(canonical), canonical.maxOutputTokens());
    request.canonical = canonical;
    return request;
  }

  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }

  /** The client asked for usage in its stream (OpenAI's include_usage); others always get it. */
  public boolean clientWantsUsage() {
    return clientWantsUsage;
  }

  /** Gemini's streamGenerateContent without alt=sse: the stream is one JSON array. */
  public boolean jsonArray() {
    return jsonArray;
  }

  /** The client opted in to reasoning text its protocol has no standard field for (OpenAI {@code reasoning_content}). */
  public boolean reasoningText() {
    return reasoningText;
  }

  /** True when an upstream of this protocol can take the client's bytes as they are. */
  boolean passesThroughTo(WireProtocol upstream) {
    return passthrough != null && meter != null && upstream == protocol;
  }

  /** How to meter the answer of a passthrough. */
  Passthrough meter() {
    return meter;
  }

  WireProtocol protocol() {
    return protocol;
  }

  Map<String, String> sameProtocolHeaders() {
    return sameProtocolHeaders;
  }

  byte[] upstreamBody(String upstreamModel) {
    return passthrough.upstreamBody(upstreamModel);
  }

  /** Read from the body once (a walk over every message), however many stages ask. */
  PromptText promptText() {
    if (prompt == null) {
      prompt = promptText.get();
    }
    return prompt;
  }

  /** The most output tokens the client asked for, or null when it set no limit. */
  Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** The canonical request with image URLs fetched into bytes, fetched once however many channels are tried. */
  Future<ChatRequest> withInlineImages(ImageFetcher images) {
    if (inlined == null) {
      inlined = images.inlineRemoteImages(canonical());
    }
    return inlined;
  }

  /** @throws dev.tollgate.protocol.GatewayError.Failure when the request cannot be converted */
  ChatRequest canonical() {
    if (canonical == null) {
      canonical = decode.get();
    }
    return canonical;
  }
}

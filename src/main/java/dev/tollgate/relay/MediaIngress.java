package dev.tollgate.relay;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.openai.OpenAiErrors;
import dev.tollgate.provider.MediaOperation;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;

/**
 * One of OpenAI's media endpoints (image generations, speech, transcriptions, translations), which
 * only OpenAI-format channels serve, so requests pass through with the model renamed: how it reads
 * a request (stashed for the relay under {@link #REQUEST}), renames the model, and counts what the
 * answer delivered for billing.
 *
 * @param <R> the endpoint's decoded request
 */
interface MediaIngress<R> extends Ingress {

  String REQUEST = "tollgate.media.request";

  /** A decoded request and the bytes it came in, waiting for the relay in the routing context. */
  record Stashed<R>(R request, byte[] body) {}

  /**
   * What a request used, for billing.
   *
   * @param tokens the upstream's token counts when it gave some (kept on record; the bill is by the unit), or null
   */
  record Delivered(BigDecimal units, boolean estimated, Usage tokens) {}

  MediaOperation operation();

  /** The upstream's body: the client's, with the model renamed. */
  byte[] upstreamBody(R request, byte[] clientBody, String upstreamModel);

  /** The Content-Type of the upstream request. */
  default String upstreamContentType(RoutingContext rc) {
    return "application/json";
  }

  /** The Accept header of the upstream request. */
  default String accept() {
    return "application/json";
  }

  /**
   * True when the answer is relayed as it arrives (speech audio), billed from the request alone;
   * false when it is read whole first (a small JSON or text answer) and billed from it.
   */
  default boolean streamsAnswer() {
    return false;
  }

  /** What the request uses whatever the answer says (speech: its characters); for streamed answers. */
  default Delivered deliveredByRequest(R request) {
    throw new UnsupportedOperationException(operation() + " is billed from its answer");
  }

  /**
   * What a whole 2xx answer delivered (images made, seconds heard).
   *
   * @param contentType the answer's Content-Type, or null
   * @throws GatewayError.Failure UPSTREAM_ERROR when the answer cannot be read
   */
  default Delivered deliveredByAnswer(R request, byte[] answer, String contentType) {
    throw new UnsupportedOperationException(operation() + " is billed from its request");
  }

  /** The Content-Type to give the client when the upstream named none. */
  default String fallbackContentType(R request) {
    return "application/json";
  }

  @Override
  default WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  default byte[] errorBody(GatewayError error) {
    return OpenAiErrors.body(error);
  }

  @Override
  default int errorStatus(GatewayError error) {
    return error.status();
  }
}

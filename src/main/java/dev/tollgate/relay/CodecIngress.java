package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.TopLevelModel;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A client protocol whose requests are decoded up front (which validates them): Anthropic and
 * Gemini. An upstream of the same protocol still gets the client's own bytes, with only the
 * model renamed, and its answer is relayed untouched; any other upstream gets a conversion.
 */
final class CodecIngress implements Ingress {

  private final ChatCodec codec;
  private final Passthrough passthrough;
  private final List<String> forwardedHeaders;
  private final Function<RoutingContext, ChatCodec.RequestTarget> target;
  private final Function<RoutingContext, Boolean> jsonArray;

  /**
   * @param forwardedHeaders client headers an upstream of the same protocol must see
   * @param target what the URL says (Gemini's model and action), or NONE
   * @param jsonArray whether a stream must be framed as one JSON array (Gemini without alt=sse);
   *     such streams are always re-encoded, as upstreams are asked for SSE
   */
  CodecIngress(
      ChatCodec codec, Passthrough passthrough, List<String> forwardedHeaders,
      Function<RoutingContext, ChatCodec.RequestTarget> target, Function<RoutingContext, Boolean> jsonArray) {
    this.codec = codec;
    this.passthrough = passthrough;
    this.forwardedHeaders = List.copyOf(forwardedHeaders);
    this.target = target;
    this.jsonArray = jsonArray;
  }

  @Override
  public WireProtocol protocol() {
    return codec.protocol();
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    ChatRequest request = codec.decodeRequest(body, target.apply(rc));
    boolean array = request.stream() && jsonArray.apply(rc);
    Map<String, String> headers = new HashMap<>();
    for (String name : forwardedHeaders) {
      String value = rc.request().getHeader(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    return ClientRequest.decoded(codec.protocol(), request, array,
        array ? null : TopLevelModel.of(body), array ? null : passthrough, headers);
  }

  @Override
  public byte[] errorBody(GatewayError error) {
    return codec.encodeError(error);
  }

  @Override
  public int errorStatus(GatewayError error) {
    return codec.status(error);
  }
}

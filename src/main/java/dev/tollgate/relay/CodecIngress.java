package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * A client protocol read by decoding: the request is decoded (and so validated) up front, and
 * always converted. Anthropic and Gemini come in this way until they get a passthrough of their own.
 */
final class CodecIngress implements Ingress {

  private final ChatCodec codec;
  private final Function<RoutingContext, ChatCodec.RequestTarget> target;
  private final Function<RoutingContext, Boolean> jsonArray;

  /**
   * @param target what the URL says (Gemini's model and action), or NONE
   * @param jsonArray whether a stream must be framed as one JSON array (Gemini without alt=sse)
   */
  CodecIngress(
      ChatCodec codec, Function<RoutingContext, ChatCodec.RequestTarget> target, Function<RoutingContext, Boolean> jsonArray) {
    this.codec = codec;
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
    return ClientRequest.decoded(codec.protocol(), request, request.stream() && jsonArray.apply(rc));
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

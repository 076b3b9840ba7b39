package dev.tollgate.relay;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import io.vertx.ext.web.RoutingContext;

/**
 * What a client protocol contributes to the chat pipeline: reading its requests, and speaking
 * its error language. Everything between (keys, routing, upstream calls, metering) is shared.
 */
interface Ingress {

  WireProtocol protocol();

  /**
   * Validates and reads a request.
   *
   * @throws GatewayError.Failure with an INVALID_REQUEST error naming the problem
   */
  ClientRequest read(RoutingContext rc, byte[] body);

  byte[] errorBody(GatewayError error);

  int errorStatus(GatewayError error);
}

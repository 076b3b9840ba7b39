package dev.tollgate.relay;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.WireProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * What a client endpoint contributes to the pipeline: reading its requests, and speaking its
 * protocol's error language. Everything between (keys, routing, upstream calls, metering) is shared.
 */
interface Ingress {

  WireProtocol protocol();

  /**
   * Validates and reads a request.
   *
   * @throws GatewayError.Failure with an INVALID_REQUEST error naming the problem
   */
  ClientRequest read(RoutingContext rc, byte[] body);

  /**
   * What is wrong with the request's Content-Type for this endpoint, or null when it will do.
   * JSON by default (a missing header is taken for JSON).
   */
  default String contentTypeProblem(String contentType) {
    if (contentType == null || isJson(contentType)) {
      return null;
    }
    return "Content-Type must be application/json, not '" + contentType + "'";
  }

  /** The request's body, read by the route's body handler; null when there is none. */
  default byte[] body(RoutingContext rc) {
    Buffer body = rc.body().buffer();
    return body == null ? null : body.getBytes();
  }

  byte[] errorBody(GatewayError error);

  int errorStatus(GatewayError error);

  static boolean isJson(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }
}

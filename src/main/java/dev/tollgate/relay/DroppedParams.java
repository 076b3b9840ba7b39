package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code x-tollgate-dropped-params} header (protocols.md §5.16 "drop + warn"): what of the
 * client's request a conversion left out, in the client's words — fields its decoder had no place
 * for, settings the upstream's protocol has no field for, and client headers that only an
 * upstream of the client's own protocol understands. A passthrough drops nothing.
 */
final class DroppedParams {

  static final String HEADER = "x-tollgate-dropped-params";

  /**
   * Client headers that ask for something a converted request cannot carry. {@code
   * anthropic-version} is not one: it names the wire format the client speaks, which the
   * conversion honours.
   */
  private static final List<String> WARNED_HEADERS = List.of("anthropic-beta");

  private DroppedParams() {}

  /**
   * @param ingress the client's codec, which names the settings the way its clients do
   * @param clientHeaders the client headers a same-protocol upstream would have been sent
   */
  static List<String> of(
      ChatRequest request, ChatCodec.EncodedRequest encoded, ChatCodec ingress, Map<String, String> clientHeaders) {
    Set<String> names = new LinkedHashSet<>(request.droppedParams());
    encoded.dropped().stream().sorted().map(ingress::paramName).forEach(names::add);
    WARNED_HEADERS.stream().filter(clientHeaders::containsKey).forEach(names::add);
    return List.copyOf(names);
  }

  /** Sets the header for this attempt, or removes one an earlier attempt (another channel) set. */
  static void show(HttpServerResponse response, List<String> names) {
    if (names.isEmpty()) {
      response.headers().remove(HEADER);
    } else {
      response.putHeader(HEADER, String.join(",", names));
    }
  }
}

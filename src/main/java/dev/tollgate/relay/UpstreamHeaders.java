package dev.tollgate.relay;

import dev.tollgate.channel.Channel;
import dev.tollgate.provider.Provider;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/** The headers of a request to a channel: JSON in, the channel's extra headers, then its credentials. */
final class UpstreamHeaders {

  private UpstreamHeaders() {}

  /**
   * @param accept what the answer may be ({@code application/json} or {@code text/event-stream})
   * @param clientHeaders client headers an upstream of the client's own protocol must see
   *     (versions, betas); empty otherwise
   */
  static MultiMap forChannel(Provider provider, Channel channel, String accept, Map<String, String> clientHeaders) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT, accept);
    channel.extraHeaders().forEach(headers::set);
    // After the extra headers, so that none of them can replace a credential.
    provider.authenticate(channel.nextSecret(), headers::set);
    clientHeaders.forEach(headers::set);
    return headers;
  }
}

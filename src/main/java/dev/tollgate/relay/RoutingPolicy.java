package dev.tollgate.relay;

import dev.tollgate.account.Caller;
import dev.tollgate.account.ProviderKey;
import dev.tollgate.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The caller's own say in routing, after the router chose the channels that serve the model: the
 * owner's routing policy drops providers they do not allow, and their own provider keys (BYOK)
 * replace the shared keys of the channels of that provider — only those channels are then tried,
 * so a request meant for the caller's own key never falls back to the shared one.
 */
final class RoutingPolicy {

  private RoutingPolicy() {}

  /** What to try, in order; {@code ownKeys} when they carry the caller's own provider keys. */
  record Route(List<Channel> channels, boolean ownKeys) {}

  /** The channels to try, or empty when the routing policy leaves none. */
  static Optional<Route> route(Caller caller, List<Channel> candidates) {
    List<Channel> allowed = new ArrayList<>(candidates.size());
    List<Channel> own = new ArrayList<>(1);
    for (Channel channel : candidates) {
      if (!caller.mayUseProvider(channel.type())) {
        continue;
      }
      allowed.add(channel);
      Optional<ProviderKey> key = caller.providerKey(channel.type());
      key.ifPresent(k -> own.add(channel.withOwnKey(k.secret(), k.baseUrl())));
    }
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(own.isEmpty() ? new Route(allowed, false) : new Route(own, true));
  }
}

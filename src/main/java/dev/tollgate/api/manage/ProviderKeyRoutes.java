package dev.tollgate.api.manage;

import static dev.tollgate.api.manage.Requests.answering;
import static dev.tollgate.api.manage.Requests.blocking;
import static dev.tollgate.api.manage.Requests.body;
import static dev.tollgate.api.manage.Requests.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.account.ProviderKey;
import dev.tollgate.account.ProviderKeyRepository;
import dev.tollgate.account.UserRepository;
import dev.tollgate.provider.Providers;
import dev.tollgate.relay.ImageAddresses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * {@code /api/user/providers}: the caller's own provider keys (BYOK) — list, add, read, change,
 * remove — shown masked, never in full. Another user's key is a 404. Admins read any user's at
 * {@code /api/user/{id}/providers} (masked too).
 */
public final class ProviderKeyRoutes implements ManagementRoutes {

  private static final String KEY_ID = "/api/user/providers/(?<id>[0-9]+)";
  private static final Set<String> FIELDS = Set.of("provider", "key", "baseUrl");
  private static final Set<String> READ_ONLY = Set.of("id", "maskedKey", "createdAt", "updatedAt");
  private static final int MAX_KEY_CHARS = 4_096;

  private final ProviderKeyRepository keys;
  private final UserRepository users;
  private final Providers providers;

  public ProviderKeyRoutes(ProviderKeyRepository keys, UserRepository users, Providers providers) {
    this.keys = keys;
    this.users = users;
    this.providers = providers;
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router.get("/api/user/providers").handler(answering(this::list));
    router.post("/api/user/providers").handler(body).handler(answering(this::create));
    router.getWithRegex(KEY_ID).handler(answering(this::one));
    router.putWithRegex(KEY_ID).handler(body).handler(answering(this::update));
    router.deleteWithRegex(KEY_ID).handler(answering(this::delete));
    router.getWithRegex("/api/user/(?<id>[0-9]+)/providers").handler(ManagementAuth::adminOnly)
        .handler(answering(this::listOfUser));
  }

  private void list(RoutingContext rc) {
    long owner = ManagementAuth.principal(rc).userId();
    reply(rc, 200, blocking(rc, () -> listing(owner)));
  }

  private void listOfUser(RoutingContext rc) {
    long owner = Requests.id(rc, "user");
    reply(rc, 200, blocking(rc, () -> {
      if (users.findById(owner).isEmpty()) {
        throw Problem.notFound("there is no user " + owner);
      }
      return listing(owner);
    }));
  }

  private ObjectNode listing(long owner) {
    ObjectNode answer = Replies.JSON.createObjectNode();
    var data = answer.putArray("data");
    keys.ofUser(owner).forEach(key -> data.add(view(key)));
    return answer;
  }

  private void one(RoutingContext rc) {
    long id = Requests.id(rc, "provider key");
    long owner = ManagementAuth.principal(rc).userId();
    reply(rc, 200, blocking(rc, () -> view(existing(owner, id))));
  }

  private void create(RoutingContext rc) {
    JsonNode body = body(rc);
    UserJson.onlyFields(body, FIELDS);
    String provider = UserJson.text(body, "provider");
    if (provider == null || providers.find(provider.strip()).isEmpty()) {
      throw Problem.invalid("'provider' must be one of " + providers.kinds().stream().sorted().toList());
    }
    String secret = secret(body, true);
    Principal principal = ManagementAuth.principal(rc);
    String rawBaseUrl = UserJson.text(body, "baseUrl");
    reply(rc, 201, blocking(rc, () -> {
      String baseUrl = baseUrl(rawBaseUrl, principal.isAdmin());
      if (keys.findByProvider(principal.userId(), provider.strip()).isPresent()) {
        throw Problem.conflict("you have a " + provider.strip() + " key already; change it with PUT");
      }
      return view(keys.insert(principal.userId(), provider.strip(), baseUrl, secret));
    }));
  }

  private void update(RoutingContext rc) {
    long id = Requests.id(rc, "provider key");
    JsonNode body = body(rc);
    UserJson.onlyFields(body, union());
    String secret = body.has("key") ? secret(body, true) : null;
    Principal principal = ManagementAuth.principal(rc);
    reply(rc, 200, blocking(rc, () -> {
      ProviderKey current = existing(principal.userId(), id);
      String named = UserJson.text(body, "provider");
      if (named != null && !named.strip().equals(current.provider())) {
        throw Problem.invalid("'provider' cannot change; add a key for the other provider instead");
      }
      String baseUrl = body.has("baseUrl") ? baseUrl(UserJson.text(body, "baseUrl"), principal.isAdmin()) : current.baseUrl();
      keys.update(principal.userId(), id, baseUrl, secret);
      return view(existing(principal.userId(), id));
    }));
  }

  private void delete(RoutingContext rc) {
    long id = Requests.id(rc, "provider key");
    long owner = ManagementAuth.principal(rc).userId();
    blocking(rc, () -> {
      if (!keys.delete(owner, id)) {
        throw Problem.notFound("there is no provider key " + id);
      }
      return null;
    }).onSuccess(done -> Replies.noContent(rc)).onFailure(err -> Replies.fail(rc, err));
  }

  /** The caller's own key; anyone else's reads as missing. */
  private ProviderKey existing(long owner, long id) {
    return keys.find(owner, id).orElseThrow(() -> Problem.notFound("there is no provider key " + id));
  }

  private static String secret(JsonNode body, boolean required) {
    String secret = UserJson.text(body, "key");
    if (secret == null || secret.isBlank()) {
      if (required) {
        throw Problem.invalid("'key' is required: the provider's API key");
      }
      return null;
    }
    if (secret.length() > MAX_KEY_CHARS || secret.strip().chars().anyMatch(Character::isWhitespace)) {
      throw Problem.invalid("'key' must be one provider API key, without spaces, at most " + MAX_KEY_CHARS + " characters");
    }
    return secret.strip();
  }

  /**
   * An http(s) base URL, or null for the channel's. A user's must be HTTPS to a public address, so
   * that nobody can make the gateway call into its own network; admins may name any (a local model
   * server, say). A name is checked against every address it resolves to now.
   */
  private static String baseUrl(String text, boolean admin) {
    if (text == null || text.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("'baseUrl' is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || (admin && scheme.equals("http")))) {
      throw Problem.invalid("'baseUrl' must be an https:// URL" + (admin ? " or http://" : ""));
    }
    if (!admin) {
      try {
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
          if (ImageAddresses.isPrivate(address)) {
            throw Problem.invalid("'baseUrl' must lead to a public address, not " + address.getHostAddress());
          }
        }
      } catch (UnknownHostException e) {
        throw Problem.invalid("'baseUrl': the host '" + uri.getHost() + "' does not resolve");
      }
    }
    String url = uri.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static Set<String> union() {
    java.util.Set<String> all = new java.util.HashSet<>(FIELDS);
    all.addAll(READ_ONLY);
    return all;
  }

  private static ObjectNode view(ProviderKey key) {
    return Replies.JSON.createObjectNode()
        .put("id", key.id())
        .put("provider", key.provider())
        .put("maskedKey", key.hint())
        .put("baseUrl", key.baseUrl())
        .put("createdAt", key.createdAt().toString())
        .put("updatedAt", key.updatedAt().toString());
  }
}

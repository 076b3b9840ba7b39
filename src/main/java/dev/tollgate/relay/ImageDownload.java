package dev.tollgate.relay;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ContentPart;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * One image fetch: its hops through redirects, the timer over all of them, and the body read
 * under the size cap. Mutable; used only on the Vert.x context that started it.
 *
 * <p>Each hop resolves the host once, refuses the URL if any of its addresses is private, and then
 * connects to the checked address itself ({@link RequestOptions#setServer}), so a second DNS
 * answer can never redirect the connection (DNS rebinding). The request keeps the URL's host name
 * as its host: it is sent as the {@code Host} header, as the TLS SNI name, and is what the
 * server's certificate is verified against.
 *
 * <p>Limits: only the first resolved address is tried (no fallback to the others); the JVM
 * resolver runs on a worker thread, which a slow name server can hold until its own timeout
 * even after the fetch has timed out; a proxy configured on the client would defeat the pinning
 * (none is).
 */
final class ImageDownload {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final String ACCEPT = "image/jpeg, image/png, image/gif, image/webp";
  private static final String USER_AGENT = "Tollgate image fetcher";

  private final Vertx vertx;
  private final HttpClient client;
  private final ImageFetchPolicy policy;
  private final ImageHostResolver resolver;
  private final String label;
  private final Promise<ContentPart.Image> result = Promise.promise();
  private final Set<URI> visited = new HashSet<>();
  private HttpClientRequest inFlight; // the hop whose response is not fully read yet
  private long timerId = -1;

  ImageDownload(Vertx vertx, HttpClient client, ImageFetchPolicy policy, ImageHostResolver resolver, String label) {
    this.vertx = vertx;
    this.client = client;
    this.policy = policy;
    this.resolver = resolver;
    this.label = label;
  }

  Future<ContentPart.Image> start(String url) {
    timerId = vertx.setTimer(policy.timeoutMs(), id -> {
      timerId = -1;
      settle(Future.failedFuture(refusal("fetching the URL took longer than " + policy.timeoutMs() + " ms")));
    });
    parse(url).compose(uri -> hop(uri, 0)).onComplete(this::settle);
    return result.future();
  }

  /**
   * Ends the fetch with its first outcome; later ones (the reset of a request we abandoned, a
   * timer that fired meanwhile) are ignored. The result is set before the request is reset, as a
   * reset reports its own failure synchronously.
   */
  private void settle(AsyncResult<ContentPart.Image> outcome) {
    boolean first = outcome.succeeded()
        ? result.tryComplete(outcome.result())
        : result.tryFail(asRefusal(outcome.cause()));
    if (!first) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    abandonInFlight();
  }

  private Future<URI> parse(String url) {
    try {
      URI uri = new URI(url.trim());
      return uri.isAbsolute() ? Future.succeededFuture(withoutFragment(uri)) : refused("the URL is not absolute");
    } catch (URISyntaxException e) {
      return refused("the URL is not valid");
    }
  }

  private Future<ContentPart.Image> hop(URI uri, int redirects) {
    visited.add(uri);
    return target(uri).compose(target -> checkedAddress(target.host())
        .compose(address -> send(target, address))
        .compose(response -> REDIRECTS.contains(response.statusCode())
            ? redirect(uri, response, redirects)
            : read(response)));
  }

  private Future<Target> target(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean https = scheme.equals("https");
    if (!https && !(scheme.equals("http") && policy.allowHttp())) {
      return refused(policy.allowHttp() ? "only http and https URLs can be fetched" : "only https URLs can be fetched");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return refused("the URL has no valid host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return Future.succeededFuture(new Target(host, port, https, path + query));
  }

  private Future<InetAddress> checkedAddress(String host) {
    return resolver.resolve(host).compose(addresses -> {
      if (addresses.isEmpty()) {
        return refused("the URL's host name could not be resolved");
      }
      // One private answer is enough to refuse: whoever runs the name's DNS chose to list it.
      if (!policy.allowPrivateAddresses() && addresses.stream().anyMatch(ImageAddresses::isPrivate)) {
        return refused("the URL points to a private address");
      }
      return Future.succeededFuture(addresses.getFirst());
    });
  }

  private Future<HttpClientResponse> send(Target target, InetAddress address) {
    if (result.future().isComplete()) { // timed out while the name was being resolved
      return Future.failedFuture(new IllegalStateException("fetch already over"));
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.https())
        .setURI(target.pathAndQuery())
        .setFollowRedirects(false)
        .putHeader(HttpHeaders.ACCEPT, ACCEPT)
        .putHeader(HttpHeaders.ACCEPT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    return client.request(options).compose(request -> {
      // Failures reach us through the futures; without a handler Vert.x would also log our resets.
      request.exceptionHandler(ignored -> {});
      if (result.future().isComplete()) {
        request.reset();
        return Future.failedFuture(new IllegalStateException("fetch already over"));
      }
      inFlight = request;
      return request.send().map(response -> {
        response.exceptionHandler(ignored -> {}); // the reset of a body we will not read is no news
        return response;
      });
    });
  }

  private Future<ContentPart.Image> redirect(URI from, HttpClientResponse response, int redirects) {
    abandonInFlight(); // a redirect's body is never read
    String location = response.getHeader(HttpHeaders.LOCATION);
    if (location == null || location.isBlank()) {
      return refused("the URL answered HTTP " + response.statusCode() + " without a Location");
    }
    URI next;
    try {
      // URI.resolve mishandles a base with an empty path ("https://host"): give it "/".
      URI base = from.getRawPath() == null || from.getRawPath().isEmpty() ? from.resolve("/") : from;
      next = withoutFragment(base.resolve(new URI(location.trim())));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return refused("the URL redirected to an invalid location");
    }
    if (visited.contains(next)) {
      return refused("the URL redirects in a loop");
    }
    if (redirects >= policy.maxRedirects()) {
      return refused("the URL redirected more than " + policy.maxRedirects() + " times");
    }
    return hop(next, redirects + 1);
  }

  private Future<ContentPart.Image> read(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return refused("the URL answered HTTP " + response.statusCode());
    }
    String mimeType = ImageTypes.fromHeader(response.getHeader(HttpHeaders.CONTENT_TYPE));
    if (mimeType == null) {
      return refused("the URL's response has no Content-Type");
    }
    if (!mimeType.startsWith("image/")) {
      return refused("the URL returned " + mimeType + ", not an image");
    }
    if (!ImageTypes.ACCEPTED.contains(mimeType)) {
      return refused("the URL returned " + mimeType + "; only JPEG, PNG, GIF and WebP images are accepted");
    }
    long declared = declaredLength(response);
    if (declared > policy.maxBytes()) {
      return refused(tooLarge());
    }
    return readBody(response, mimeType, declared);
  }

  private Future<ContentPart.Image> readBody(HttpClientResponse response, String mimeType, long declared) {
    Promise<ContentPart.Image> body = Promise.promise();
    Buffer bytes = Buffer.buffer(declared > 0 ? (int) declared : 8192);
    boolean[] sniffed = {false};
    response.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if (bytes.length() + (long) chunk.length() > policy.maxBytes()) {
        body.fail(refusal(tooLarge()));
        abandonInFlight(); // stop reading now: the connection is closed, nothing more is buffered
        return;
      }
      bytes.appendBuffer(chunk);
      if (!sniffed[0] && bytes.length() >= ImageTypes.SNIFF_LENGTH) {
        sniffed[0] = true;
        String mismatch = mismatch(mimeType, bytes);
        if (mismatch != null) {
          body.fail(refusal(mismatch));
          abandonInFlight();
        }
      }
    });
    response.exceptionHandler(err -> body.tryFail(refusal("the connection broke while the image was read")));
    response.endHandler(ignored -> {
      if (body.future().isComplete()) {
        return;
      }
      inFlight = null; // fully read: the connection may go back to the pool
      String mismatch = sniffed[0] ? null : mismatch(mimeType, bytes);
      if (mismatch != null) {
        body.fail(refusal(mismatch));
      } else {
        body.complete(ContentPart.Image.inline(mimeType, Base64.getEncoder().encodeToString(bytes.getBytes())));
      }
    });
    return body.future();
  }

  /** Why the first bytes contradict the declared type, or null when they agree. */
  private static String mismatch(String declared, Buffer head) {
    String actual = ImageTypes.sniff(head);
    if (actual == null) {
      return "the URL said " + declared + " but its content is not an image";
    }
    return actual.equals(declared) ? null : "the URL said " + declared + " but its content is " + actual;
  }

  private static long declaredLength(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String tooLarge() {
    return "the image is larger than the " + policy.describeMaxBytes() + " limit";
  }

  private void abandonInFlight() {
    if (inFlight != null) {
      inFlight.reset(); // closes the connection; an unread body must not reach the next user of it
      inFlight = null;
    }
  }

  private GatewayError.Failure asRefusal(Throwable cause) {
    if (cause instanceof GatewayError.Failure failure) {
      return failure;
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      switch (t) {
        case UnknownHostException ignored -> { return refusal("the URL's host name could not be resolved"); }
        case SSLException ignored -> { return refusal("the TLS handshake with the URL's host failed (certificate not trusted or not issued for that host)"); }
        case ConnectException ignored -> { return refusal("could not connect to the URL's host"); }
        default -> { }
      }
    }
    return refusal("the URL could not be fetched (the connection failed)");
  }

  private <T> Future<T> refused(String reason) {
    return Future.failedFuture(refusal(reason));
  }

  private GatewayError.Failure refusal(String reason) {
    return new GatewayError.Failure(GatewayError.invalid(null, label + ": " + reason));
  }

  private static URI withoutFragment(URI uri) throws URISyntaxException {
    return uri.getRawFragment() == null
        ? uri
        : new URI(uri.toString().substring(0, uri.toString().indexOf('#')));
  }

  private record Target(String host, int port, boolean https, String pathAndQuery) {}
}

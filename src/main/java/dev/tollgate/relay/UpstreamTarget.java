package dev.tollgate.relay;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An upstream URL taken apart once. Parsing an absolute URL per request showed in profiles
 * (java.net.URL and URI parsers); channels have few distinct URLs, so they are parsed once.
 */
record UpstreamTarget(String host, int port, boolean ssl, String pathAndQuery) {

  private static final ConcurrentHashMap<String, UpstreamTarget> PARSED = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 10_000;

  static UpstreamTarget of(String url) {
    UpstreamTarget cached = PARSED.get(url);
    if (cached != null) {
      return cached;
    }
    UpstreamTarget parsed = parse(url);
    if (PARSED.size() < MAX_CACHED) { // URLs with per-request parts must not grow it without end
      PARSED.putIfAbsent(url, parsed);
    }
    return parsed;
  }

  private static UpstreamTarget parse(String url) {
    URI uri = URI.create(url);
    boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new UpstreamTarget(uri.getHost(), port, ssl, path + query);
  }

  RequestOptions post() {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setSsl(ssl).setURI(pathAndQuery);
  }
}

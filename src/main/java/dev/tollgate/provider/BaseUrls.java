package dev.tollgate.provider;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/** Normalising the base URLs operators paste: spaces, trailing slashes, a missing version path. */
public final class BaseUrls {

  private BaseUrls() {}

  /** The URL without surrounding spaces or trailing slashes. */
  public static String trimmed(String baseUrl) {
    String url = baseUrl.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url;
  }

  /** Channels have few distinct base URLs: parsing one per request showed in profiles. */
  private static final ConcurrentHashMap<String, String> VERSIONED = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 10_000;

  /** The URL with {@code version} (e.g. {@code /v1}) appended when it has no path of its own. */
  public static String withVersion(String baseUrl, String version) {
    String key = version + ' ' + baseUrl;
    String cached = VERSIONED.get(key);
    if (cached != null) {
      return cached;
    }
    String url = trimmed(baseUrl);
    String path = URI.create(url).getRawPath();
    String result = path == null || path.isEmpty() ? url + version : url;
    if (VERSIONED.size() < MAX_CACHED) {
      VERSIONED.putIfAbsent(key, result);
    }
    return result;
  }
}

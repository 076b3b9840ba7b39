package dev.tollgate.provider;

import java.net.URI;

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

  /** The URL with {@code version} (e.g. {@code /v1}) appended when it has no path of its own. */
  public static String withVersion(String baseUrl, String version) {
    String url = trimmed(baseUrl);
    String path = URI.create(url).getRawPath();
    return path == null || path.isEmpty() ? url + version : url;
  }
}

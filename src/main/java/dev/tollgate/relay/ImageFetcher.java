package dev.tollgate.relay;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns image URLs into inline base64 images for upstreams that only take bytes (Gemini always),
 * without ever blocking the event loop. A URL is the client's input, so every failure — private
 * address, redirect loop, HTML instead of an image, too large, too slow — is an
 * {@code INVALID_REQUEST} (400) naming the image, never an upstream error. The rules are in
 * {@link ImageFetchPolicy} and {@link ImageDownload}.
 */
public final class ImageFetcher {

  /** Fetches running at once for one request. */
  static final int PARALLEL_FETCHES = 4;

  private static final String GEMINI_FILES_HOST = "generativelanguage.googleapis.com";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final ImageFetchPolicy policy;
  private final ImageHostResolver resolver;

  public static ImageFetcher create(Vertx vertx, ImageFetchPolicy policy) {
    return new ImageFetcher(vertx, new HttpClientOptions(), policy, ImageHostResolver.system(vertx));
  }

  /**
   * @param options the base client options (tests add trust for their own certificate); the
   *     fetcher always verifies host names and never trusts all certificates or decompresses
   */
  ImageFetcher(Vertx vertx, HttpClientOptions options, ImageFetchPolicy policy, ImageHostResolver resolver) {
    this.vertx = vertx;
    this.policy = policy;
    this.resolver = resolver;
    this.client = vertx.createHttpClient(new HttpClientOptions(options)
        .setVerifyHost(true)
        .setTrustAll(false)
        .setDecompressionSupported(false)
        .setConnectTimeout((int) Math.min(policy.timeoutMs(), Integer.MAX_VALUE)));
  }

  public ImageFetchPolicy policy() {
    return policy;
  }

  /**
   * The image at {@code url} as an inline part.
   *
   * @param label names the image in error messages, e.g. "image 2"
   */
  public Future<ContentPart.Image> fetch(String url, String label) {
    return onContext(() -> new ImageDownload(vertx, client, policy, resolver, label).start(url));
  }

  /**
   * The request with every image given by an http(s) URL replaced by its inline form, tool-result
   * images included; inline images and other URLs (gs://, provider file URIs) stay as they are.
   * A URL used twice is fetched once. Errors name the image by its place among all the request's
   * images, counting from 1 ("image 3").
   */
  public Future<ChatRequest> inlineRemoteImages(ChatRequest request) {
    List<ContentPart.Image> images = ImageParts.all(request);
    Map<String, ImageBatch.Job> jobs = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      ContentPart.Image image = images.get(i);
      if (isRemote(image)) {
        jobs.putIfAbsent(image.url(), new ImageBatch.Job(image.url(), "image " + (i + 1)));
      }
    }
    if (jobs.isEmpty()) {
      return Future.succeededFuture(request);
    }
    return onContext(() -> new ImageBatch(new ArrayList<>(jobs.values()), this::fetch).run(PARALLEL_FETCHES))
        .map(inline -> ImageParts.replace(request, image -> isRemote(image) ? inline.get(image.url()) : image));
  }

  /**
   * True for an image this fetcher would fetch: not inline, and its URL is http or https but not
   * on Gemini's API host. Files API URIs there are https, yet only readable with the uploader's
   * key: the Gemini encoder sends them as {@code fileData}, as it does gs:// URIs.
   */
  public static boolean isRemote(ContentPart.Image image) {
    if (image.isInline() || image.url() == null) {
      return false;
    }
    String url = image.url().trim().toLowerCase(Locale.ROOT);
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      return false;
    }
    try {
      return !GEMINI_FILES_HOST.equalsIgnoreCase(URI.create(url).getHost());
    } catch (IllegalArgumentException e) {
      return true; // the fetch refuses it with a message naming the image
    }
  }

  public Future<Void> close() {
    return client.close();
  }

  /**
   * Runs {@code work} on the caller's context, or on a fresh one when called from outside Vert.x:
   * a fetch's state is then only ever touched by one event-loop thread.
   */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    if (Vertx.currentContext() != null) {
      return work.get();
    }
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(ignored -> work.get().onComplete(promise));
    return promise.future();
  }
}

package dev.tollgate.relay;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.openai.OpenAiErrors;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an upload (an audio file in a multipart form) into memory once, as it arrives: the bytes
 * are then parsed in place and sent upstream from the same buffer. One larger than the limit is
 * refused with 413 before any of it is read when its Content-Length says so, or as soon as it
 * passes the limit when it is chunked; either way the connection is closed, so the rest is never
 * read. Vert.x's BodyHandler would decode the form on top of keeping the body.
 */
public final class UploadBody implements Handler<RoutingContext> {

  static final String KEY = "tollgate.upload";

  /** How long a refused upload's connection stays open so the client reads the 413 (its bytes are dropped). */
  private static final long LINGER_MS = 1_000;

  private final long limitBytes;

  public UploadBody(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** The body read for this request, or null when none was. */
  static byte[] of(RoutingContext rc) {
    return rc.get(KEY);
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    long declared = declaredLength(request);
    if (declared > limitBytes) {
      refuse(rc);
      return;
    }
    // Sized for the declared length when given (no regrowing a 25 MB array), else grown as needed.
    Bytes body = new Bytes((int) Math.min(declared >= 0 ? declared : 64 * 1024, limitBytes));
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length + (long) chunk.length() > limitBytes) {
        refused[0] = true;
        refuse(rc);
        return;
      }
      body.append(chunk);
    });
    request.exceptionHandler(err -> refused[0] = true); // the client went away; nothing to answer
    request.endHandler(v -> {
      if (!refused[0]) {
        rc.put(KEY, body.whole());
        rc.next();
      }
    });
    request.resume();
  }

  /** A growing byte array that ends up exactly the body's size. */
  private static final class Bytes {
    private byte[] bytes;
    private int length;

    Bytes(int capacity) {
      bytes = new byte[Math.max(capacity, 1024)];
    }

    void append(Buffer chunk) {
      int size = chunk.length();
      if (length + size > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(length + size, bytes.length * 2));
      }
      chunk.getBytes(0, size, bytes, length);
      length += size;
    }

    /** The body, without a copy when the declared length was right. */
    byte[] whole() {
      return length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Answers 413 and closes the connection after a short linger, dropping whatever still arrives
   * meanwhile (as nginx's lingering close does): closing at once, with the client's bytes unread,
   * would make the kernel reset the connection, and the client could lose the answer.
   */
  private void refuse(RoutingContext rc) {
    GatewayError error = GatewayError.of(ErrorCode.REQUEST_TOO_LARGE,
        "the upload is larger than the " + limitBytes + "-byte limit (server.upload_limit_bytes)");
    HttpServerRequest request = rc.request();
    request.handler(dropped -> {});
    request.endHandler(null);
    Runnable close = () -> request.connection().close();
    rc.response()
        .setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Buffer.buffer(OpenAiErrors.body(error)))
        .onComplete(done -> rc.vertx().setTimer(LINGER_MS, id -> close.run()));
    request.resume();
  }
}

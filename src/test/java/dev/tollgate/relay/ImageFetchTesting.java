package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.GatewayError;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting on a fetch from a test thread, and reading the 400 it failed with. */
final class ImageFetchTesting {

  private ImageFetchTesting() {}

  static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the fetch failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The error of a fetch that must fail with a client error (400), never an upstream one. */
  static String refusal(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      return fail("expected a refusal, got " + value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(GatewayError.Failure.class);
      GatewayError error = ((GatewayError.Failure) e.getCause()).error();
      assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(error.status()).isEqualTo(400);
      return error.message();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package dev.tollgate.protocol;

/**
 * The one error type of the gateway. Each protocol renders it in its own shape; the message is
 * for the caller and never holds secrets or stack traces.
 *
 * @param param the request field at fault, or null
 */
public record GatewayError(ErrorCode code, String message, String param) {

  public static GatewayError of(ErrorCode code, String message) {
    return new GatewayError(code, message, null);
  }

  public static GatewayError invalid(String param, String message) {
    return new GatewayError(ErrorCode.INVALID_REQUEST, message, param);
  }

  /** The error a failure carries; anything unexpected becomes an INTERNAL_ERROR without detail. */
  public static GatewayError from(Throwable failure) {
    return failure instanceof Failure f
        ? f.error()
        : of(ErrorCode.INTERNAL_ERROR, "internal error; the gateway logged the details");
  }

  public int status() {
    return code.status();
  }

  /** Carries a {@link GatewayError} through code that can only throw. */
  public static final class Failure extends RuntimeException {
    private final GatewayError error;

    public Failure(GatewayError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public GatewayError error() {
      return error;
    }
  }
}

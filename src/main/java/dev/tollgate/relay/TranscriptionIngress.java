package dev.tollgate.relay;

import dev.tollgate.billing.BillingUnit;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.media.MultipartForm;
import dev.tollgate.protocol.media.TranscriptionAnswer;
import dev.tollgate.protocol.media.TranscriptionRequest;
import dev.tollgate.provider.MediaOperation;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI's {@code POST /v1/audio/transcriptions} and {@code /translations}: a multipart form,
 * read once by {@link UploadBody} and passed on in place with only the model renamed; the answer
 * (json, text, srt, verbose_json or vtt) goes back as it came. Billed per second of audio: the
 * upstream's count when its answer has one, else the file's own length (WAV, MP3, FLAC headers),
 * else an estimate from its size, marked as such.
 */
final class TranscriptionIngress implements MediaIngress<TranscriptionRequest> {

  /** 128 kbit/s, a common bitrate for compressed speech: a size-based estimate that errs long for most files. */
  private static final int ESTIMATED_BYTES_PER_SECOND = 16_000;

  private final MediaOperation operation;

  /** @param operation {@link MediaOperation#TRANSCRIPTIONS} or {@link MediaOperation#TRANSLATIONS} */
  TranscriptionIngress(MediaOperation operation) {
    this.operation = operation;
  }

  @Override
  public MediaOperation operation() {
    return operation;
  }

  @Override
  public String contentTypeProblem(String contentType) {
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    return "Content-Type must be multipart/form-data, not " + (contentType == null ? "missing" : "'" + contentType + "'");
  }

  @Override
  public byte[] body(RoutingContext rc) {
    return UploadBody.of(rc);
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    TranscriptionRequest request = TranscriptionRequest.decode(body, rc.request().getHeader(HttpHeaders.CONTENT_TYPE));
    if (request.stream()) {
      throw new GatewayError.Failure(GatewayError.invalid("stream",
          "streamed transcription is not relayed; send the request without 'stream'"));
    }
    rc.put(REQUEST, new Stashed<>(request, body));
    return ClientRequest.ofEndpoint(protocol(), request.model(), () -> new ClientRequest.PromptText("", 0), 0)
        .billedBy(new ClientRequest.UnitRequest(BillingUnit.AUDIO_SECOND, List.of(request.model()),
            fileSeconds(request).units()));
  }

  @Override
  public byte[] upstreamBody(TranscriptionRequest request, byte[] clientBody, String upstreamModel) {
    return request.upstreamBody(upstreamModel);
  }

  /** The client's own header: it names the form's boundary. */
  @Override
  public String upstreamContentType(RoutingContext rc) {
    return rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
  }

  @Override
  public String accept() {
    return "*/*";
  }

  @Override
  public Delivered deliveredByAnswer(TranscriptionRequest request, byte[] answer, String contentType) {
    TranscriptionAnswer facts = TranscriptionAnswer.read(answer, request.answerFormat());
    Usage tokens = facts.hasTokens()
        ? new Usage(orZero(facts.inputTokens()), orZero(facts.outputTokens()), 0, 0)
        : null;
    Optional<Double> upstreamSeconds = facts.duration();
    if (upstreamSeconds.isPresent()) {
      return new Delivered(seconds(upstreamSeconds.get()), false, tokens);
    }
    Delivered file = fileSeconds(request);
    return new Delivered(file.units(), file.estimated(), tokens);
  }

  @Override
  public String fallbackContentType(TranscriptionRequest request) {
    return request.answerFormat().endsWith("json") ? "application/json" : "text/plain; charset=utf-8";
  }

  /** The file's length from its own header, or an estimate from its size. */
  private static Delivered fileSeconds(TranscriptionRequest request) {
    Optional<Double> read = request.fileSeconds();
    if (read.isPresent()) {
      return new Delivered(seconds(read.get()), false, null);
    }
    return new Delivered(BigDecimal.valueOf(request.file().length())
        .divide(BigDecimal.valueOf(ESTIMATED_BYTES_PER_SECOND), 3, RoundingMode.UP), true, null);
  }

  /** Seconds to the millisecond, as exact decimals (no binary fraction reaches a bill). */
  private static BigDecimal seconds(double seconds) {
    return BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}

package dev.tollgate.relay;

import dev.tollgate.billing.BillingUnit;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.TopLevelMerge;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.media.ImageAnswer;
import dev.tollgate.protocol.media.ImageRequest;
import dev.tollgate.protocol.media.OpenAiImages;
import dev.tollgate.provider.MediaOperation;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Map;

/**
 * OpenAI's {@code POST /v1/images/generations}: billed per image made, at the price of the
 * model's size and quality when the price table has one ({@link OpenAiImages#priceKeys}).
 */
final class ImageIngress implements MediaIngress<ImageRequest> {

  @Override
  public MediaOperation operation() {
    return MediaOperation.IMAGE_GENERATIONS;
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    ImageRequest request = OpenAiImages.decodeGeneration(body);
    if (request.stream()) {
      throw new GatewayError.Failure(GatewayError.invalid("stream",
          "streamed image generation (partial images) is not relayed; send the request without 'stream'"));
    }
    rc.put(REQUEST, new Stashed<>(request, body));
    return ClientRequest.ofEndpoint(protocol(), request.model(), () -> new ClientRequest.PromptText(request.prompt(), 0), 0)
        .billedBy(new ClientRequest.UnitRequest(BillingUnit.IMAGE, OpenAiImages.priceKeys(request),
            BigDecimal.valueOf(request.images())));
  }

  /** Set, not renamed: a body may name no model (OpenAI then takes dall-e-2), and a mapping must still reach the upstream. */
  @Override
  public byte[] upstreamBody(ImageRequest request, byte[] clientBody, String upstreamModel) {
    return TopLevelMerge.merge(clientBody, Map.of("model", TopLevelMerge.string(upstreamModel)));
  }

  /** The images the answer holds: an upstream may make fewer than asked, and those are not charged. */
  @Override
  public Delivered deliveredByAnswer(ImageRequest request, byte[] answer, String contentType) {
    ImageAnswer images = OpenAiImages.countImages(answer);
    Usage tokens = images.inputTokens() == null && images.outputTokens() == null ? null
        : new Usage(images.inputTokens() == null ? 0 : images.inputTokens(),
            images.outputTokens() == null ? 0 : images.outputTokens(), 0, 0);
    return new Delivered(BigDecimal.valueOf(images.images()), false, tokens);
  }
}

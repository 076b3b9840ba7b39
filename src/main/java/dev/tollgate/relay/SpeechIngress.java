package dev.tollgate.relay;

import dev.tollgate.billing.BillingUnit;
import dev.tollgate.protocol.TopLevelModel;
import dev.tollgate.protocol.media.OpenAiSpeech;
import dev.tollgate.protocol.media.SpeechRequest;
import dev.tollgate.provider.MediaOperation;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.List;

/** OpenAI's {@code POST /v1/audio/speech}: the audio relayed as it arrives, billed per input character. */
final class SpeechIngress implements MediaIngress<SpeechRequest> {

  @Override
  public MediaOperation operation() {
    return MediaOperation.SPEECH;
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    SpeechRequest request = OpenAiSpeech.decode(body);
    rc.put(REQUEST, new Stashed<>(request, body));
    return ClientRequest.ofEndpoint(protocol(), request.model(), () -> new ClientRequest.PromptText(request.input(), 0), 0)
        .billedBy(new ClientRequest.UnitRequest(BillingUnit.CHARACTER, List.of(request.model()),
            BigDecimal.valueOf(request.characters())));
  }

  @Override
  public byte[] upstreamBody(SpeechRequest request, byte[] clientBody, String upstreamModel) {
    return TopLevelModel.of(clientBody).upstreamBody(upstreamModel);
  }

  @Override
  public String accept() {
    return "*/*";
  }

  @Override
  public boolean streamsAnswer() {
    return true;
  }

  @Override
  public Delivered deliveredByRequest(SpeechRequest request) {
    return new Delivered(BigDecimal.valueOf(request.characters()), false, null);
  }

  @Override
  public String fallbackContentType(SpeechRequest request) {
    return OpenAiSpeech.contentType(request);
  }
}

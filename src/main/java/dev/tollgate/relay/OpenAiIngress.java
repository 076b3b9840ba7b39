package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.openai.ChatRequestFacts;
import dev.tollgate.protocol.openai.ChatRequestInspector;
import dev.tollgate.protocol.openai.OpenAiErrors;
import dev.tollgate.protocol.openai.OpenAiPassthrough;
import dev.tollgate.protocol.openai.OpenAiPromptText;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * OpenAI chat completions. Requests are only inspected (model, stream flags, byte offsets), not
 * decoded: an OpenAI upstream takes them as they are, and the canonical form is built only when
 * a channel of another protocol serves the model.
 */
final class OpenAiIngress implements Ingress {

  private static final Passthrough PASSTHROUGH = new OpenAiPassthrough();

  private final Codecs codecs;

  OpenAiIngress(Codecs codecs) {
    this.codecs = codecs;
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    ChatRequestFacts facts = ChatRequestInspector.inspect(body);
    return ClientRequest.passable(
        WireProtocol.OPENAI, facts.model(), facts.stream(), facts.clientWantsUsage(), facts, PASSTHROUGH,
        () -> codec().decodeRequest(Arrays.copyOfRange(body, facts.bodyStart(), body.length), ChatCodec.RequestTarget.NONE),
        () -> {
          OpenAiPromptText.PromptText text = OpenAiPromptText.of(body, facts.bodyStart());
          return new ClientRequest.PromptText(text.text(), text.messages());
        });
  }

  private ChatCodec codec() {
    return codecs.find(WireProtocol.OPENAI)
        .orElseThrow(() -> new GatewayError.Failure(GatewayError.of(
            dev.tollgate.protocol.ErrorCode.NO_AVAILABLE_NODE, "no channel for this model is usable")));
  }

  @Override
  public byte[] errorBody(GatewayError error) {
    return OpenAiErrors.body(error);
  }

  @Override
  public int errorStatus(GatewayError error) {
    return error.status();
  }
}

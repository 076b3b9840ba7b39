package dev.tollgate.protocol.openai;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.WireProtocol;

/** Metering of relayed OpenAI answers. */
public final class OpenAiPassthrough implements Passthrough {

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  public StreamWatch watchStream(boolean clientWantsUsage, TokenCounter counter) {
    return new OpenAiStreamSniffer(clientWantsUsage, counter::count);
  }

  @Override
  public AnswerFacts readAnswer(byte[] body) {
    OpenAiUsage.ResponseFacts facts = OpenAiUsage.readResponse(body);
    return new AnswerFacts(facts.wellFormed(), facts.usage());
  }

  @Override
  public String answerText(byte[] body) {
    return OpenAiAnswerText.of(body);
  }

  @Override
  public byte[] streamError(GatewayError error) {
    return OpenAiErrors.streamEvent(error);
  }
}

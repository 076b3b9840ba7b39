package dev.tollgate.relay;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.openai.ChatRequestFacts;
import dev.tollgate.protocol.openai.ChatRequestInspector;
import dev.tollgate.protocol.openai.OpenAiErrors;
import dev.tollgate.protocol.openai.OpenAiPassthrough;
import dev.tollgate.protocol.openai.OpenAiPromptText;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Locale;

/**
 * OpenAI chat completions. Requests are only inspected (model, stream flags, byte offsets), not
 * decoded: an OpenAI upstream takes them as they are, and the canonical form is built only when
 * a channel of another protocol serves the model.
 *
 * <p>Thinking of another protocol's upstream reaches the client as {@code reasoning_content} only
 * when wanted (§5.11): by default as configured, per request by the header {@value
 * #REASONING_HEADER} ({@code content} or {@code none}).
 */
final class OpenAiIngress implements Ingress {

  static final String REASONING_HEADER = "x-tollgate-reasoning";

  private static final Passthrough PASSTHROUGH = new OpenAiPassthrough();

  private final Codecs codecs;
  private final boolean reasoningTextByDefault;

  OpenAiIngress(Codecs codecs, boolean reasoningTextByDefault) {
    this.codecs = codecs;
    this.reasoningTextByDefault = reasoningTextByDefault;
  }

  @Override
  public WireProtocol protocol() {
    return WireProtocol.OPENAI;
  }

  @Override
  public ClientRequest read(RoutingContext rc, byte[] body) {
    ChatRequestFacts facts = ChatRequestInspector.inspect(body);
    boolean reasoningText = reasoningText(rc);
    return ClientRequest.passable(
        WireProtocol.OPENAI, facts.model(), facts.stream(), facts.clientWantsUsage(), reasoningText, facts, PASSTHROUGH,
        () -> {
          ChatRequest request = codec().decodeRequest(
              Arrays.copyOfRange(body, facts.bodyStart(), body.length), ChatCodec.RequestTarget.NONE);
          return reasoningText ? withThoughts(request) : request;
        },
        () -> {
          OpenAiPromptText.PromptText text = OpenAiPromptText.of(body, facts.bodyStart());
          return new ClientRequest.PromptText(text.text(), text.messages());
        },
        facts.maxOutputTokens());
  }

  private boolean reasoningText(RoutingContext rc) {
    String value = rc.request().getHeader(REASONING_HEADER);
    if (value == null || value.isBlank()) {
      return reasoningTextByDefault;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "content" -> true;
      case "none" -> false;
      default -> throw new GatewayError.Failure(GatewayError.invalid(null,
          "the header " + REASONING_HEADER + " takes 'content' or 'none', not '" + value.strip() + "'"));
    };
  }

  /**
   * A client that wants reasoning text and asks for reasoning asks for its text too: Gemini sends
   * its thoughts only when the request says {@code includeThoughts}.
   */
  private static ChatRequest withThoughts(ChatRequest request) {
    Reasoning reasoning = request.reasoning();
    if (reasoning == null || reasoning.includeThoughts()) {
      return request;
    }
    return request.withReasoning(new Reasoning(reasoning.effort(), reasoning.budgetTokens(), true));
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

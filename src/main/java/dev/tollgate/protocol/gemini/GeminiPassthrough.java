package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.DeferredText;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseEvent;
import java.nio.charset.StandardCharsets;

/**
 * Metering of relayed Gemini answers (SSE framing). {@code usageMetadata} is repeated on chunks,
 * not incremental: the latest one counts. A finish reason marks the answer complete.
 */
public final class GeminiPassthrough implements Passthrough {

  @Override
  public WireProtocol protocol() {
    return WireProtocol.GEMINI;
  }

  @Override
  public StreamWatch watchStream(boolean clientWantsUsage, TokenCounter counter) {
    return new Watch(counter);
  }

  @Override
  public AnswerFacts readAnswer(byte[] body) {
    JsonNode root = GeminiJson.readOrNull(body);
    if (root == null || !root.isObject()) {
      return new AnswerFacts(false, null);
    }
    TokenUsage usage = GeminiUsage.decode(root.get("usageMetadata"));
    return new AnswerFacts(true, usage == null ? null : Usage.of(usage));
  }

  @Override
  public String answerText(byte[] body) {
    JsonNode root = GeminiJson.readOrNull(body);
    return root == null ? "" : text(root);
  }

  @Override
  public byte[] streamError(GatewayError error) {
    return ("data: " + new String(GeminiErrors.body(error), StandardCharsets.UTF_8) + "\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String text(JsonNode chunk) {
    StringBuilder text = new StringBuilder();
    for (JsonNode candidate : chunk.path("candidates")) {
      for (JsonNode part : candidate.path("content").path("parts")) {
        text.append(part.path("text").asText(""));
        if (part.has("functionCall")) {
          text.append(part.get("functionCall").toString());
        }
      }
    }
    return text.toString();
  }

  private static final class Watch implements StreamWatch {
    private final DeferredText chunks;
    private Usage usage;
    private boolean finished;
    private boolean errored;

    Watch(TokenCounter counter) {
      this.chunks = new DeferredText(chunk -> {
        JsonNode root = GeminiJson.readOrNull(chunk);
        return root == null ? "" : text(root);
      }, counter);
    }

    @Override
    public boolean onEvent(SseEvent event) {
      String data = event.data();
      if (data == null || data.isBlank()) {
        return true;
      }
      if (JsonScan.hasMember(data, "\"error\"", '{')) {
        errored = true;
      }
      if (JsonScan.hasMember(data, "\"finishReason\"", '"')) {
        finished = true;
      }
      if (JsonScan.hasMember(data, "\"usageMetadata\"", '{')) {
        JsonNode root = GeminiJson.readOrNull(data);
        TokenUsage decoded = root == null ? null : GeminiUsage.decode(root.get("usageMetadata"));
        if (decoded != null) {
          usage = Usage.of(decoded);
        }
      }
      chunks.add(data);
      return true;
    }

    @Override
    public Usage reportedUsage() {
      return usage;
    }

    @Override
    public int estimatedCompletionTokens() {
      return chunks.tokens();
    }

    @Override
    public boolean complete() {
      return finished;
    }

    @Override
    public boolean sawError() {
      return errored;
    }
  }
}

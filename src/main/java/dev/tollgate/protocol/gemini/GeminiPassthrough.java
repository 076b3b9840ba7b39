package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.JsonScan;
import dev.tollgate.protocol.Passthrough;
import dev.tollgate.protocol.Usage;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
    return new AnswerFacts(true, usage == null ? null : usageOf(usage));
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

  private static Usage usageOf(TokenUsage usage) {
    return new Usage((int) usage.inputTotal(), (int) usage.output(), (int) usage.cacheRead(), (int) usage.reasoning());
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
    private static final int WINDOW_CHARS = 16 * 1024;

    private final TokenCounter counter;
    private final List<String> chunks = new ArrayList<>();
    private int chunkChars;
    private int counted;
    private Usage usage;
    private boolean finished;
    private boolean errored;

    Watch(TokenCounter counter) {
      this.counter = counter;
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
          usage = usageOf(decoded);
        }
      }
      chunks.add(data);
      chunkChars += data.length();
      if (chunkChars >= WINDOW_CHARS) {
        counted += countChunks();
      }
      return true;
    }

    private int countChunks() {
      StringBuilder text = new StringBuilder();
      for (String chunk : chunks) {
        JsonNode root = GeminiJson.readOrNull(chunk);
        if (root != null) {
          text.append(text(root));
        }
      }
      chunks.clear();
      chunkChars = 0;
      return text.isEmpty() ? 0 : counter.count(text.toString());
    }

    @Override
    public Usage reportedUsage() {
      return usage;
    }

    @Override
    public int estimatedCompletionTokens() {
      counted += countChunks();
      return counted;
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

package dev.tollgate.protocol;

import dev.tollgate.protocol.anthropic.AnthropicCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.protocol.gemini.GeminiCodec;
import dev.tollgate.protocol.openai.OpenAiCodec;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAllocationTest {

  static final List<ChatCodec> CODECS = List.of(new OpenAiCodec(), new AnthropicCodec(), new GeminiCodec());

  static ChatRequest request() {
    return new ChatRequest("m", null, List.of(Message.text(Role.USER, "hi")), null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, true, null);
  }

  static List<StreamEvent> textEvents(int n) {
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.Start("id-1", "m", null));
    for (int i = 0; i < n; i++) {
      events.add(new StreamEvent.TextDelta(" word" + (i % 10)));
    }
    events.add(new StreamEvent.BlockStop());
    events.add(new StreamEvent.Finish(FinishReason.STOP, new TokenUsage(10, n, 0, 0, 0)));
    return events;
  }

  static List<StreamEvent> toolEvents(int n) {
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.Start("id-1", "m", null));
    events.add(new StreamEvent.ToolCallStart(0, "call_1", "get_weather"));
    events.add(new StreamEvent.ToolArgsDelta(0, "{\"city\":\""));
    for (int i = 0; i < n; i++) {
      events.add(new StreamEvent.ToolArgsDelta(0, "Par"));
    }
    events.add(new StreamEvent.ToolArgsDelta(0, "\"}"));
    events.add(new StreamEvent.BlockStop());
    events.add(new StreamEvent.Finish(FinishReason.TOOL_CALLS, new TokenUsage(10, n, 0, 0, 0)));
    return events;
  }

  static byte[] wire(ChatCodec upstream, List<StreamEvent> events) {
    ChatCodec.StreamEncoder encoder = upstream.newStreamEncoder(request(), new ChatCodec.StreamOptions(true, false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StreamEvent e : events) {
      out.writeBytes(encoder.encode(e));
    }
    return out.toByteArray();
  }

  static long[] run(ChatCodec upstream, ChatCodec client, List<byte[]> chunks) {
    ChatCodec.StreamDecoder decoder = upstream.newStreamDecoder(request());
    ChatCodec.StreamEncoder encoder = client.newStreamEncoder(request(), new ChatCodec.StreamOptions(false, false));
    long[] out = new long[2];
    for (byte[] chunk : chunks) {
      decoder.feed(chunk, e -> { out[0] += encoder.encode(e).length; out[1]++; });
    }
    decoder.finish(e -> { out[0] += encoder.encode(e).length; out[1]++; });
    return out;
  }

  @Test
  void measure() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (String shape : List.of("text", "tool")) {
      for (ChatCodec up : CODECS) {
        for (ChatCodec client : CODECS) {
          List<StreamEvent> events = shape.equals("text") ? textEvents(400) : toolEvents(400);
          byte[] bytes = wire(up, events);
          // split at event boundaries (blank lines), as an upstream usually sends
          List<byte[]> chunks = new ArrayList<>();
          int start = 0;
          for (int i = 1; i < bytes.length; i++) {
            boolean lf = bytes[i] == '\n' && bytes[i - 1] == '\n';
            boolean crlf = i >= 3 && bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r';
            if (lf || crlf) {
              chunks.add(java.util.Arrays.copyOfRange(bytes, start, i + 1));
              start = i + 1;
            }
          }
          if (start < bytes.length) chunks.add(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
          for (int w = 0; w < 300; w++) run(up, client, chunks);
          long before = mx.getCurrentThreadAllocatedBytes();
          long[] r = null;
          int reps = 50;
          for (int w = 0; w < reps; w++) r = run(up, client, chunks);
          long alloc = (mx.getCurrentThreadAllocatedBytes() - before) / reps;
          System.out.printf("%s %-9s -> %-9s chunks=%d in=%d out=%d alloc=%d alloc/chunk=%d out/chunk=%d%n", shape,
              up.protocol(), client.protocol(), chunks.size(), bytes.length, r[0], alloc, alloc / chunks.size(), r[0] / chunks.size());
        }
      }
    }
  }
}

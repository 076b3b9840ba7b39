package dev.tollgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: "codecs must not allocate per event beyond what the output needs". Converts a text
 * stream and a tool-argument stream in all nine upstream → client directions, upstream bytes cut
 * at every event boundary as an upstream sends them, and counts what the converting thread
 * allocates (HotSpot's per-thread counter, exact to the byte once the code is warm).
 *
 * <p>Per hot event (one more text delta or argument fragment), measured as the difference between
 * a stream of {@value #LONG} and one of {@value #SHORT} such events, a direction may allocate its
 * output plus {@value #PER_EVENT_HEADROOM} bytes: room for the event's text as a String and the
 * canonical event, not for a copy of the input, a String per line, a parser, a generator or a tree
 * per event, each of which would break it. Over a whole stream, setup included, the allocation
 * per upstream event must stay within twice the output plus {@value #PER_CHUNK_HEADROOM} bytes.
 * Each figure is the least of several measurements, so that a JIT compilation in the middle of
 * one does not count. The table is printed for the record (docs/decisions.md).
 */
class StreamAllocationTest {

  private static final int SHORT = 200;
  private static final int LONG = 400;
  private static final int PER_EVENT_HEADROOM = 160;
  private static final int PER_CHUNK_HEADROOM = 256;
  private static final List<ChatCodec> CODECS = List.of(new OpenAiCodec(), new AnthropicCodec(), new GeminiCodec());

  private static ChatRequest request() {
    return new ChatRequest("m", null, List.of(Message.text(Role.USER, "hi")), null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, true, null);
  }

  private static List<StreamEvent> textEvents(int n) {
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.Start("id-1", "m", null));
    for (int i = 0; i < n; i++) {
      events.add(new StreamEvent.TextDelta(" word" + (i % 10)));
    }
    events.add(new StreamEvent.BlockStop());
    events.add(new StreamEvent.Finish(FinishReason.STOP, new TokenUsage(10, n, 0, 0, 0)));
    return events;
  }

  private static List<StreamEvent> toolEvents(int n) {
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

  /** The stream an upstream of that protocol sends, cut after every event (blank line). */
  private static List<byte[]> upstreamChunks(ChatCodec upstream, List<StreamEvent> events) {
    ChatCodec.StreamEncoder encoder = upstream.newStreamEncoder(request(), new ChatCodec.StreamOptions(true, false));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StreamEvent e : events) {
      out.writeBytes(encoder.encode(e));
    }
    byte[] bytes = out.toByteArray();
    List<byte[]> chunks = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < bytes.length; i++) {
      boolean lf = bytes[i] == '\n' && bytes[i - 1] == '\n';
      boolean crlf = i >= 3 && bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r';
      if (lf || crlf) {
        chunks.add(Arrays.copyOfRange(bytes, start, i + 1));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      chunks.add(Arrays.copyOfRange(bytes, start, bytes.length));
    }
    return chunks;
  }

  /** Converts one stream; returns the bytes the client gets. */
  private static long convert(ChatCodec upstream, ChatCodec client, List<byte[]> chunks) {
    ChatCodec.StreamDecoder decoder = upstream.newStreamDecoder(request());
    ChatCodec.StreamEncoder encoder = client.newStreamEncoder(request(), new ChatCodec.StreamOptions(false, false));
    long[] out = {0};
    Consumer<StreamEvent> sink = e -> out[0] += encoder.encode(e).length;
    for (byte[] chunk : chunks) {
      decoder.feed(chunk, sink);
    }
    decoder.finish(sink);
    return out[0];
  }

  /** Bytes allocated by one conversion: the least of several measurements of a few runs each. */
  private static long allocated(ChatCodec upstream, ChatCodec client, List<byte[]> chunks) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long least = Long.MAX_VALUE;
    for (int trial = 0; trial < 7; trial++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int run = 0; run < 5; run++) {
        convert(upstream, client, chunks);
      }
      least = Math.min(least, (threads.getCurrentThreadAllocatedBytes() - before) / 5);
    }
    return least;
  }

  private record Figures(String direction, int chunks, long outPerChunk, long allocPerChunk, long outPerEvent,
      long allocPerEvent) {
  }

  private static Figures measure(String shape, ChatCodec upstream, ChatCodec client, IntFunction<List<StreamEvent>> events) {
    List<byte[]> shorter = upstreamChunks(upstream, events.apply(SHORT));
    List<byte[]> longer = upstreamChunks(upstream, events.apply(LONG));
    for (int warm = 0; warm < 200; warm++) {
      convert(upstream, client, shorter);
      convert(upstream, client, longer);
    }
    long outShort = convert(upstream, client, shorter);
    long outLong = convert(upstream, client, longer);
    long allocShort = allocated(upstream, client, shorter);
    long allocLong = allocated(upstream, client, longer);
    String direction = String.format("%s %-9s -> %-9s", shape, upstream.protocol(), client.protocol());
    return new Figures(direction, longer.size(), outLong / longer.size(), allocLong / longer.size(),
        (outLong - outShort) / (LONG - SHORT), (allocLong - allocShort) / (LONG - SHORT));
  }

  @Test
  void convertedStreamsAllocateLittleBeyondTheirOutput() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
        "this JVM does not count the bytes a thread allocates");
    List<Figures> all = new ArrayList<>();
    for (String shape : List.of("text", "tool")) {
      for (ChatCodec upstream : CODECS) {
        for (ChatCodec client : CODECS) {
          all.add(measure(shape, upstream, client, shape.equals("text") ? StreamAllocationTest::textEvents : StreamAllocationTest::toolEvents));
        }
      }
    }
    System.out.printf("%-28s %7s %11s %13s | per hot event: %5s %7s%n", "direction", "chunks", "out/chunk", "alloc/chunk",
        "out", "alloc");
    for (Figures f : all) {
      System.out.printf("%-28s %7d %11d %13d | %20d %7d%n", f.direction(), f.chunks(), f.outPerChunk(), f.allocPerChunk(),
          f.outPerEvent(), f.allocPerEvent());
    }

    assertThat(all).allSatisfy(f -> assertThat(f.allocPerEvent())
        .as("%s: bytes allocated per hot event (output %d per event)", f.direction(), f.outPerEvent())
        .isLessThanOrEqualTo(f.outPerEvent() + PER_EVENT_HEADROOM));
    // A Gemini upstream sends each call whole, in one event: a tool stream is two events, and the
    // per-event figure is the stream's setup, so only the per-hot-event budget applies to it.
    assertThat(all).filteredOn(f -> f.chunks() > 100).allSatisfy(f -> assertThat(f.allocPerChunk())
        .as("%s: bytes allocated per upstream event, setup included (output %d per event)", f.direction(), f.outPerChunk())
        .isLessThanOrEqualTo(2 * f.outPerChunk() + PER_CHUNK_HEADROOM));
  }
}

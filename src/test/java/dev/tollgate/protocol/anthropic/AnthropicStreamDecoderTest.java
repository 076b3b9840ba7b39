package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.ErrorCode;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamDecoderTest {

  private static final byte[] STREAM = Fixtures.bytes("stream-text-two-tools.sse");

  private static final TokenUsage INPUT = new TokenUsage(40 + 10 + 1800, 1800, 10, 0, 0);

  private static final List<StreamEvent> EXPECTED = List.of(
      new StreamEvent.Start("msg_01XY", "claude-sonnet-4-5", INPUT),
      new StreamEvent.TextDelta("Let me check – ☀️ "),
      new StreamEvent.TextDelta("both."),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(0, "toolu_01A", "get_weather"),
      new StreamEvent.ToolArgsDelta(0, "{\"city\": \"Par"),
      new StreamEvent.ToolArgsDelta(0, "is\"}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.ToolCallStart(1, "toolu_01B", "get_time"),
      new StreamEvent.ToolArgsDelta(1, "{\"tz\":\"Europe/Paris\"}"),
      new StreamEvent.BlockStop(),
      new StreamEvent.Finish(FinishReason.TOOL_CALLS, new TokenUsage(1850, 1800, 10, 31, 0)));

  static List<StreamEvent> decode(byte[]... chunks) {
    List<StreamEvent> events = new ArrayList<>();
    ChatCodec.StreamDecoder decoder = new AnthropicCodec().newStreamDecoder(Fixtures.ASKED);
    for (byte[] chunk : chunks) {
      decoder.feed(chunk, events::add);
    }
    decoder.finish(events::add);
    return events;
  }

  @Test
  void realisticStreamDecodesToCanonicalEvents() {
    assertThat(decode(STREAM)).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void splittingTheStreamAtEveryBytePositionGivesTheSameEvents() {
    for (int cut = 0; cut <= STREAM.length; cut++) {
      List<StreamEvent> events = decode(Arrays.copyOfRange(STREAM, 0, cut), Arrays.copyOfRange(STREAM, cut, STREAM.length));
      assertThat(events).as("cut at byte %d", cut).containsExactlyElementsOf(EXPECTED);
    }
  }

  @Test
  void feedingOneByteAtATimeGivesTheSameEvents() {
    byte[][] chunks = new byte[STREAM.length][];
    for (int i = 0; i < STREAM.length; i++) {
      chunks[i] = new byte[] {STREAM[i]};
    }

    assertThat(decode(chunks)).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void cumulativeOutputTokensTakeTheLastValueNotTheSum() {
    StreamEvent last = decode(STREAM).getLast();

    assertThat(last).isInstanceOfSatisfying(StreamEvent.Finish.class, f -> assertThat(f.usage().output()).isEqualTo(31));
  }

  @Test
  void streamEndingBeforeMessageStopIsACutStreamError() {
    int cut = indexOf(STREAM, utf8("event: message_delta"));
    List<StreamEvent> events = decode(Arrays.copyOfRange(STREAM, 0, cut));

    assertThat(events.getLast()).isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.Finish);
  }

  @Test
  void errorEventBecomesAnErrorAndEndsTheStream() {
    List<StreamEvent> events = decode(utf8("""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","model":"c","usage":{"input_tokens":5,"output_tokens":1}}}

        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

        event: message_stop
        data: {"type":"message_stop"}

        """));

    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isInstanceOfSatisfying(StreamEvent.Error.class, e -> {
      assertThat(e.error().code()).isEqualTo(ErrorCode.NO_AVAILABLE_NODE);
      assertThat(e.error().message()).isEqualTo("Overloaded");
    });
  }

  @Test
  void thinkingAndSignatureDeltasBecomeThinkingDeltas() {
    List<StreamEvent> events = decode(utf8("""
        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_stop
        data: {"type":"message_stop"}

        """));

    assertThat(events).containsExactly(
        new StreamEvent.ThinkingDelta("Let me think", null, "anthropic"),
        new StreamEvent.ThinkingDelta(null, "EqQB", "anthropic"),
        new StreamEvent.BlockStop(),
        new StreamEvent.Finish(FinishReason.OTHER, TokenUsage.ZERO));
  }

  @Test
  void malformedEventDataIsAnUpstreamError() {
    List<StreamEvent> events = decode(utf8("event: message_start\ndata: {nope\n\n"));

    assertThat(events).singleElement().isInstanceOfSatisfying(StreamEvent.Error.class,
        e -> assertThat(e.error().code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("not found");
  }
}

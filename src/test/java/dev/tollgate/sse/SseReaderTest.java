package dev.tollgate.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static final int LIMIT = 1 << 20;

  /** The fixture is written with \n; the other line endings are derived from it. */
  enum LineEnding {
    LF("\n"),
    CRLF("\r\n"),
    CR("\r");

    final String text;

    LineEnding(String text) {
      this.text = text;
    }

    byte[] apply(String lfText) {
      return lfText.replace("\n", text).getBytes(UTF_8);
    }
  }

  record Ev(String event, String data) {
    static Ev of(SseEvent e) {
      return new Ev(e.event(), e.data());
    }
  }

  /** What the fixture means, written out by hand: the specification of the parse. */
  private static final List<Ev> FIXTURE_EVENTS =
      List.of(
          new Ev(null, null), // ": ping" keepalive block
          new Ev(null, "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"),
          new Ev("message", "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"héllo 🌍 你好\"},\"finish_reason\":null}]}"),
          new Ev(null, "{\"multi\":\n\"line\",\n \"two spaces kept one\"}"),
          new Ev(null, "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
          new Ev(null, "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":9,\"total_tokens\":129}}"),
          new Ev(null, "[DONE]"));

  private static String fixture() throws IOException {
    try (InputStream in = SseReaderTest.class.getResourceAsStream("openai-stream.sse")) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  /** Feeds the stream in the pieces {@code cuts} (increasing offsets) makes, then ends it. */
  private static List<SseEvent> read(byte[] stream, int... cuts) {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);
    int from = 0;
    for (int cut : cuts) {
      reader.feed(Arrays.copyOfRange(stream, from, cut));
      from = cut;
    }
    reader.feed(stream, from, stream.length - from);
    reader.finish();
    return events;
  }

  private static List<Ev> meaning(List<SseEvent> events) {
    return events.stream().map(Ev::of).toList();
  }

  private static byte[] concatenatedRaw(List<SseEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.forEach(e -> out.writeBytes(e.raw()));
    return out.toByteArray();
  }

  private static List<String> raws(List<SseEvent> events) {
    return events.stream().map(e -> new String(e.raw(), UTF_8)).toList();
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void realisticOpenAiStreamParsesIntoItsEvents(LineEnding ending) throws IOException {
    byte[] stream = ending.apply(fixture());

    List<SseEvent> events = read(stream);

    assertThat(meaning(events)).containsExactlyElementsOf(FIXTURE_EVENTS);
    assertThat(concatenatedRaw(events)).isEqualTo(stream);
    assertThat(new String(events.get(0).raw(), UTF_8)).isEqualTo(": ping" + ending.text + ending.text);
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void splitAtEveryPointGivesTheSameEvents(LineEnding ending) throws IOException {
    byte[] stream = ending.apply(fixture());
    List<SseEvent> whole = read(stream);

    for (int cut = 0; cut <= stream.length; cut++) {
      List<SseEvent> split = read(stream, cut);
      assertThat(meaning(split)).as("split at byte %d", cut).isEqualTo(meaning(whole));
      assertThat(raws(split)).as("raw events, split at byte %d", cut).isEqualTo(raws(whole));
      assertThat(concatenatedRaw(split)).as("split at byte %d", cut).isEqualTo(stream);
    }
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void oneByteAtATimeGivesTheSameEvents(LineEnding ending) throws IOException {
    byte[] stream = ending.apply(fixture());
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);

    for (byte b : stream) {
      reader.feed(new byte[] {b});
    }
    reader.finish();

    assertThat(meaning(events)).containsExactlyElementsOf(FIXTURE_EVENTS);
    assertThat(raws(events)).isEqualTo(raws(read(stream)));
    assertThat(concatenatedRaw(events)).isEqualTo(stream);
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void randomChunkingGivesTheSameEvents(LineEnding ending) throws IOException {
    byte[] stream = ending.apply(fixture());
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int[] cuts = random.ints(random.nextInt(1, 40), 0, stream.length + 1).sorted().toArray();

      List<SseEvent> events = read(stream, cuts);

      assertThat(meaning(events)).as("cuts %s", Arrays.toString(cuts)).containsExactlyElementsOf(FIXTURE_EVENTS);
      assertThat(concatenatedRaw(events)).isEqualTo(stream);
    }
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void withoutRawTheFieldsAreTheSameWhereverTheStreamIsCut(LineEnding ending) throws IOException {
    byte[] stream = ending.apply(fixture());

    for (int cut = 0; cut <= stream.length; cut++) {
      List<Ev> events = new ArrayList<>();
      SseReader reader = SseReader.withoutRaw(f -> events.add(new Ev(f.event(), f.data())), LIMIT);
      reader.feed(Arrays.copyOfRange(stream, 0, cut));
      reader.feed(stream, cut, stream.length - cut);
      reader.finish();

      assertThat(events).as("split at byte %d", cut).isEqualTo(FIXTURE_EVENTS);
    }
  }

  @Test
  void fieldsHoldTheDataAsBytesAndCompareTheEventNameInPlace() {
    List<String> seen = new ArrayList<>();
    SseReader reader = SseReader.withoutRaw(f -> seen.add(f.eventIs("content_block_delta") + " " + f.eventIs("content_block")
        + " " + f.hasData() + " " + new String(f.dataBytes(), 0, f.dataLength(), UTF_8)), LIMIT);

    reader.feed("event: content_block_delta\ndata: {\"a\":\ndata: 1}\n\n: ping\n\ndata: é\n\n".getBytes(UTF_8));

    assertThat(seen).containsExactly("true false true {\"a\":\n1}", "false false false ", "false false true é");
  }

  @Test
  void dataIsUtf8ExactlyWhenAStrictDecoderAcceptsIt() {
    Random random = new Random(7);
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[random.nextInt(1, 6)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(0x100));
      }
      SseFields fields = new SseFields();
      fields.addDataLine(bytes, 0, bytes.length);
      boolean strict;
      try {
        UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
        strict = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        strict = false;
      }

      assertThat(fields.dataIsUtf8()).as("%s", java.util.HexFormat.of().formatHex(bytes)).isEqualTo(strict);
    }
  }

  @Test
  void multiByteCharacterSplitAcrossChunksIsDecodedWhole() {
    byte[] stream = "data: 🌍\n\n".getBytes(UTF_8);
    int insideEmoji = "data: ".length() + 2; // the emoji is 4 bytes

    List<SseEvent> events = read(stream, insideEmoji);

    assertThat(meaning(events)).containsExactly(new Ev(null, "🌍"));
  }

  @Test
  void finishDispatchesFinalEventWithoutTrailingBlankLine() {
    byte[] stream = "data: {\"a\":1}\n\ndata: [DONE]\n".getBytes(UTF_8);

    List<SseEvent> events = read(stream);

    assertThat(meaning(events)).containsExactly(new Ev(null, "{\"a\":1}"), new Ev(null, "[DONE]"));
    assertThat(new String(events.get(1).raw(), UTF_8)).isEqualTo("data: [DONE]\n");
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void finishDispatchesFinalLineWithoutAnyLineEnding(LineEnding ending) {
    byte[] stream = ending.apply("data: a\n\ndata: [DONE]");

    List<SseEvent> events = read(stream);

    assertThat(meaning(events)).containsExactly(new Ev(null, "a"), new Ev(null, "[DONE]"));
    assertThat(concatenatedRaw(events)).isEqualTo(stream);
  }

  @Test
  void finishWithACarriageReturnLastDispatchesTheEvent() {
    byte[] stream = "data: [DONE]\r".getBytes(UTF_8);

    List<SseEvent> events = read(stream);

    assertThat(meaning(events)).containsExactly(new Ev(null, "[DONE]"));
    assertThat(concatenatedRaw(events)).isEqualTo(stream);
  }

  @Test
  void finishWithNothingHeldDispatchesNothing() {
    List<SseEvent> events = read("data: x\n\n".getBytes(UTF_8));

    assertThat(meaning(events)).containsExactly(new Ev(null, "x"));
  }

  @Test
  void eventIsDispatchedAsSoonAsItsBlankLineArrives() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);

    reader.feed("data: one\n".getBytes(UTF_8));
    assertThat(events).isEmpty();
    reader.feed("\n".getBytes(UTF_8));

    assertThat(meaning(events)).containsExactly(new Ev(null, "one"));
  }

  @Test
  void crlfEventIsDispatchedOnceTheFinalLineFeedArrives() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);

    reader.feed("data: one\r\n\r\n".getBytes(UTF_8));

    assertThat(raws(events)).containsExactly("data: one\r\n\r\n");
  }

  @Test
  void hasPartialEventOnlyWhileAnEventIsHalfReceived() {
    SseReader reader = new SseReader(e -> {}, LIMIT);
    assertThat(reader.hasPartialEvent()).isFalse();

    reader.feed("data: {\"a\"".getBytes(UTF_8));
    assertThat(reader.hasPartialEvent()).isTrue();

    reader.feed(":1}\n\n".getBytes(UTF_8));
    assertThat(reader.hasPartialEvent()).isFalse();
  }

  @Test
  void dataWithoutSpaceAfterColonAndWithTwoSpacesStripsOnlyOne() {
    List<SseEvent> events = read("data:x\n\ndata:  y\n\ndata\n\n".getBytes(UTF_8));

    assertThat(meaning(events)).containsExactly(new Ev(null, "x"), new Ev(null, " y"), new Ev(null, ""));
  }

  @Test
  void commentOnlyBlockHasNoDataAndIsMarkedAsComment() {
    List<SseEvent> events = read(": keepalive\n\n".getBytes(UTF_8));

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.isComment()).isTrue();
      assertThat(e.data()).isNull();
      assertThat(new String(e.raw(), UTF_8)).isEqualTo(": keepalive\n\n");
    });
  }

  @Test
  void eventLargerThanTheLimitIsRejected() {
    SseReader reader = new SseReader(e -> {}, 100);
    byte[] big = ("data: " + "x".repeat(200) + "\n\n").getBytes(UTF_8);

    assertThatThrownBy(() -> reader.feed(big))
        .isInstanceOf(SseReader.EventTooLargeException.class)
        .hasMessageContaining("100");
  }

  @Test
  void eventLargerThanTheLimitIsRejectedWhenFedByteByByte() {
    SseReader reader = new SseReader(e -> {}, 100);
    byte[] big = ("data: " + "x".repeat(200)).getBytes(UTF_8);

    assertThatThrownBy(() -> {
          for (byte b : big) {
            reader.feed(new byte[] {b});
          }
        })
        .isInstanceOf(SseReader.EventTooLargeException.class);
  }

  @ParameterizedTest
  @EnumSource(LineEnding.class)
  void eventOfExactlyTheLimitIsAccepted(LineEnding ending) {
    String prefix = "data: ";
    String blank = ending.text + ending.text;
    String event = prefix + "y".repeat(100 - prefix.length() - blank.length()) + blank;
    assertThat(event.length()).isEqualTo(100);
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, 100);

    reader.feed((event + event).getBytes(UTF_8));
    reader.finish();

    assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e.raw()).hasSize(100));
  }

  @Test
  void chunkCarryingManySmallEventsIsNotTreatedAsOneLargeEvent() {
    String event = "data: {\"n\":1}\n\n";
    byte[] chunk = event.repeat(1000).getBytes(UTF_8); // 16 000 bytes, limit 64
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, 64);

    reader.feed(chunk);

    assertThat(events).hasSize(1000).allSatisfy(e -> assertThat(e.data()).isEqualTo("{\"n\":1}"));
  }

  @Test
  void memoryStaysBoundedAcrossManyEvents() {
    // A limit of 256 bytes can only hold if the buffer drops each event once dispatched:
    // 200 000 events (several MB) pass through it, in chunks that cut events anywhere.
    String event = "data: {\"choices\":[{\"delta\":{\"content\":\"tok\"}}]}\n\n";
    byte[] stream = event.repeat(200_000).getBytes(UTF_8);
    int[] count = {0};
    SseReader reader = new SseReader(e -> count[0]++, 256);

    for (int from = 0; from < stream.length; from += 4093) {
      reader.feed(stream, from, Math.min(4093, stream.length - from));
    }
    reader.finish();

    assertThat(count[0]).isEqualTo(200_000);
    assertThat(reader.hasPartialEvent()).isFalse();
  }

  @Test
  void emptyChunksChangeNothing() {
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);

    reader.feed(new byte[0]);
    reader.feed("data: a\r".getBytes(UTF_8));
    reader.feed(new byte[0]);
    reader.feed("\n\r\n".getBytes(UTF_8));
    reader.finish();

    assertThat(raws(events)).containsExactly("data: a\r\n\r\n");
  }

  @Test
  void feedHonoursOffsetAndCount() {
    byte[] padded = "XXdata: a\n\nYY".getBytes(UTF_8);
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add, LIMIT);

    reader.feed(padded, 2, padded.length - 4);
    reader.finish();

    assertThat(raws(events)).containsExactly("data: a\n\n");
  }

}

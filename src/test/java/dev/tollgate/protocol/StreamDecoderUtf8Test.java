package dev.tollgate.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.anthropic.AnthropicCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.gemini.GeminiCodec;
import dev.tollgate.protocol.openai.OpenAiCodec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoders read well-formed data straight from the bytes; malformed UTF-8 still reads as a String
 * decodes it (U+FFFD), whatever a byte-based JSON parser would have made of it.
 */
class StreamDecoderUtf8Test {

  private static final ChatRequest REQUEST = new ChatRequest("m", null, List.of(Message.text(Role.USER, "hi")), null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, true, null);

  @ParameterizedTest
  @ValueSource(strings = {"c3a9", "f09f8c8d", "c080", "eda080", "80", "e282", "f5", "ff", "f4908080", "e0808f"})
  void textIsWhatAStringDecodingGives(String hex) {
    byte[] text = concat("a".getBytes(UTF_8), java.util.HexFormat.of().parseHex(hex), "b".getBytes(UTF_8));
    String expected = new String(text, UTF_8);

    assertThat(firstText(new OpenAiCodec(), concat(
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes(UTF_8), text,
        "\"},\"finish_reason\":null}]}\n\n".getBytes(UTF_8)))).isEqualTo(expected);
    assertThat(firstText(new AnthropicCodec(), concat(
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"".getBytes(UTF_8),
        text, "\"}}\n\n".getBytes(UTF_8)))).isEqualTo(expected);
    assertThat(firstText(new GeminiCodec(), concat(
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"".getBytes(UTF_8), text,
        "\"}]},\"index\":0}]}\r\n\r\n".getBytes(UTF_8)))).isEqualTo(expected);
  }

  private static String firstText(ChatCodec codec, byte[] stream) {
    List<StreamEvent> events = new ArrayList<>();
    codec.newStreamDecoder(REQUEST).feed(stream, events::add);
    return events.stream().filter(StreamEvent.TextDelta.class::isInstance).map(e -> ((StreamEvent.TextDelta) e).text())
        .findFirst().orElse(null);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

package dev.tollgate.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.WireProtocol;
import dev.tollgate.protocol.anthropic.AnthropicCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.gemini.GeminiCodec;
import dev.tollgate.protocol.openai.OpenAiCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for every direction between two different protocols: one rich request (system,
 * image, tool call and its result, tools, sampling) and one answer (text + tool call + cached and
 * reasoning usage) per protocol, converted through the hub. The expected files under
 * {@code golden/<from>-to-<to>/} were reviewed by hand against protocols.md §5 (answers to OpenAI
 * clients once more with {@code reasoning_content} wanted); run with
 * {@code -Dgolden.update=true} to rewrite them after a deliberate change, then review the diff.
 */
class CrossProtocolGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Map<WireProtocol, ChatCodec> CODECS = Map.of(
      WireProtocol.OPENAI, new OpenAiCodec(FIXED),
      WireProtocol.ANTHROPIC, new AnthropicCodec(),
      WireProtocol.GEMINI, new GeminiCodec(FIXED));

  static Stream<Arguments> directions() {
    List<Arguments> all = new ArrayList<>();
    for (WireProtocol from : WireProtocol.values()) {
      for (WireProtocol to : WireProtocol.values()) {
        if (from != to) {
          all.add(Arguments.of(from, to));
        }
      }
    }
    return all.stream();
  }

  private static String name(WireProtocol protocol) {
    return protocol.name().toLowerCase(Locale.ROOT);
  }

  /** A client of {@code from} asks; an upstream of {@code to} receives. */
  @ParameterizedTest(name = "request {0} → {1}")
  @MethodSource("directions")
  void requestIsConverted(WireProtocol from, WireProtocol to) throws IOException {
    byte[] in = resource(name(from) + ".request.json");
    ChatRequest canonical = CODECS.get(from).decodeRequest(in, new ChatCodec.RequestTarget("client-model", false));
    byte[] out = CODECS.get(to).encodeRequest(canonical, "upstream-model").body();

    assertGolden(name(from) + "-to-" + name(to) + "/request.json", out);
  }

  /** An upstream of {@code to} answers; the client of {@code from} reads it. */
  @ParameterizedTest(name = "answer {1} → {0}")
  @MethodSource("directions")
  void answerIsConverted(WireProtocol from, WireProtocol to) throws IOException {
    ChatRequest asked = CODECS.get(from).decodeRequest(
        resource(name(from) + ".request.json"), new ChatCodec.RequestTarget("client-model", false));
    byte[] in = resource(name(to) + ".response.json");
    ChatResponse canonical = CODECS.get(to).decodeResponse(in, asked);
    byte[] out = CODECS.get(from).encodeResponse(canonical, "client-model");

    assertGolden(name(from) + "-to-" + name(to) + "/response.json", out);
  }

  /**
   * Structured output to Anthropic (protocols.md §5.10): a JSON schema becomes a forced
   * {@code json_output} tool — wrapped in an object when its root is not one (Gemini's array) —
   * and the forced call comes back as the answer's text with a STOP finish.
   */
  static Stream<Arguments> structuredOutputClients() {
    return Stream.of(
        Arguments.of(WireProtocol.OPENAI, "anthropic.response.json"),
        Arguments.of(WireProtocol.GEMINI, "anthropic.wrapped-response.json"));
  }

  @ParameterizedTest(name = "structured output {0} → anthropic")
  @MethodSource("structuredOutputClients")
  void structuredOutputIsEmulatedWithAForcedTool(WireProtocol from, String upstreamAnswer) throws IOException {
    ChatRequest asked = CODECS.get(from).decodeRequest(
        resource("structured/" + name(from) + ".request.json"), new ChatCodec.RequestTarget("client-model", false));
    ChatCodec anthropic = CODECS.get(WireProtocol.ANTHROPIC);
    assertGolden("structured/" + name(from) + "-to-anthropic/request.json", anthropic.encodeRequest(asked, "upstream-model").body());

    ChatResponse answer = anthropic.decodeResponse(resource("structured/" + upstreamAnswer), asked);
    assertGolden("structured/" + name(from) + "-to-anthropic/response.json",
        CODECS.get(from).encodeResponse(answer, "client-model"));
  }

  /** An OpenAI client that opted in to {@code reasoning_content} reads the upstream's thinking there. */
  @ParameterizedTest(name = "answer {0} → openai, reasoning_content wanted")
  @EnumSource(value = WireProtocol.class, names = {"ANTHROPIC", "GEMINI"})
  void answerWithReasoningTextIsConverted(WireProtocol to) throws IOException {
    ChatRequest asked = CODECS.get(WireProtocol.OPENAI).decodeRequest(
        resource("openai.request.json"), new ChatCodec.RequestTarget("client-model", false));
    ChatResponse canonical = CODECS.get(to).decodeResponse(resource(name(to) + ".response.json"), asked);
    byte[] out = CODECS.get(WireProtocol.OPENAI).encodeResponse(canonical, "client-model", new ChatCodec.AnswerOptions(true));

    assertGolden("openai-to-" + name(to) + "/response.reasoning-content.json", out);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = CrossProtocolGoldenTest.class.getResourceAsStream("/dev/tollgate/protocol/golden/" + name)) {
      if (in == null) {
        throw new IOException("missing golden file " + name);
      }
      return in.readAllBytes();
    }
  }

  private static void assertGolden(String name, byte[] actual) throws IOException {
    JsonNode actualTree = JSON.readTree(actual);
    if (actualTree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      object.remove("created"); // answers without a timestamp of their own get the current time
    }
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources/dev/tollgate/protocol/golden").resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(actualTree) + "\n");
    }
    JsonNode expected = JSON.readTree(resource(name));
    assertThat(actualTree).as(name).isEqualTo(expected);
  }
}

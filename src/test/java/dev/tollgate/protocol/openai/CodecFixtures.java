package dev.tollgate.protocol.openai;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;

/** Golden files under {@code codec/} and small helpers shared by the codec tests. */
final class CodecFixtures {

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_730_000_500L), ZoneOffset.UTC);
  static final OpenAiCodec CODEC = new OpenAiCodec(CLOCK);

  private CodecFixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = CodecFixtures.class.getResourceAsStream("codec/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture codec/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return json(bytes(name));
  }

  /** Parsed from text on both sides of a comparison, so that 42 equals 42 whatever wrote it. */
  static JsonNode json(byte[] body) {
    try {
      return OpenAiTree.parse(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode jsonText(String text) {
    return json(text.getBytes(UTF_8));
  }

  static ChatRequest decode(String body) {
    return CODEC.decodeRequest(body.getBytes(UTF_8), ChatCodec.RequestTarget.NONE);
  }

  static ChatRequest decodeFixture(String name) {
    return CODEC.decodeRequest(bytes(name), ChatCodec.RequestTarget.NONE);
  }

  /** A minimal valid request with extra top-level members spliced in. */
  static String request(String extraMembers) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]"
        + (extraMembers.isEmpty() ? "" : "," + extraMembers) + "}";
  }

  static ChatRequest canonical(List<dev.tollgate.protocol.canonical.Message> messages) {
    return new ChatRequest("client-model", List.of(), messages, List.of(), null, null, null, null, null, null,
        List.of(), null, null, null, null, null, null, null, false, List.of());
  }

  /** A plain request, for answers whose decoding does not depend on what was asked. */
  static final ChatRequest ASKED = canonical(List.of(dev.tollgate.protocol.canonical.Message.text(
      dev.tollgate.protocol.canonical.Role.USER, "Hi")));

  /** The error a call fails with. */
  static GatewayError failure(ThrowableAssert.ThrowingCallable call) {
    try {
      call.call();
    } catch (GatewayError.Failure failure) {
      return failure.error();
    } catch (Throwable other) {
      throw new AssertionError("expected a GatewayError.Failure, got " + other, other);
    }
    throw new AssertionError("expected a GatewayError.Failure, but the call succeeded");
  }
}

package dev.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.protocol.GatewayError;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test fixtures beside the tests, and small builders for canonical requests. */
final class Fixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    return tree(bytes(name));
  }

  static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String body) {
    return tree(body.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A request with just messages, everything optional left out. */
  static ChatRequest request(List<Message> messages) {
    return new ChatRequest("client-model", List.of(), messages, List.of(), null, null, null, null, null, null,
        List.of(), null, null, null, null, null, null, null, false, List.of());
  }

  /** A plain request, for answers whose decoding does not depend on what was asked. */
  static final ChatRequest ASKED = request(List.of(Message.text(dev.tollgate.protocol.canonical.Role.USER, "Hi")));

  /** The GatewayError a call fails with (asserting that it fails with one). */
  static GatewayError failure(ThrowingCallable call) {
    GatewayError[] caught = new GatewayError[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(GatewayError.Failure.class, f -> caught[0] = f.error());
    return caught[0];
  }
}

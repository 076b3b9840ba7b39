package dev.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec.RequestTarget;
import dev.tollgate.protocol.canonical.ChatRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden round trips: a client's request (roundtrip/NAME.in.json) decoded to canonical and encoded
 * for an Anthropic upstream gives roundtrip/NAME.out.json — what conversion keeps and drops.
 */
class AnthropicRequestRoundTripTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  @ParameterizedTest
  @ValueSource(strings = {"text-and-system", "tools-and-results", "images-and-documents", "thinking"})
  void clientRequestSurvivesTheCanonicalModel(String name) {
    ChatRequest canonical = codec.decodeRequest(Fixtures.bytes("roundtrip/" + name + ".in.json"), RequestTarget.NONE);

    byte[] upstream = codec.encodeRequest(canonical, "claude-upstream").body();

    assertThat(Fixtures.tree(upstream)).isEqualTo(Fixtures.json("roundtrip/" + name + ".out.json"));
  }
}

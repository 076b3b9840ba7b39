package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.anthropic.AnthropicCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.Setting;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DroppedParamsTest {

  private static ChatRequest droppingOnDecode(String... names) {
    return new ChatRequest("m", List.of(), List.of(Message.text(Role.USER, "hi")), List.of(), null, null, null, null,
        null, null, List.of(), null, null, null, null, null, null, null, false, List.of(names));
  }

  @Test
  void decoderFieldsComeFirstThenSettingsInTheClientsWordsThenHeaders() {
    ChatCodec.EncodedRequest encoded = new ChatCodec.EncodedRequest(
        new byte[0], Set.of(Setting.NO_PARALLEL_TOOL_CALLS, Setting.TOP_K));

    List<String> names = DroppedParams.of(droppingOnDecode("container"), encoded, new AnthropicCodec(),
        Map.of("anthropic-version", "2023-06-01", "anthropic-beta", "files-api-2025-04-14"));

    assertThat(names).containsExactly("container", "top_k", "disable_parallel_tool_use", "anthropic-beta");
  }

  @Test
  void aNameIsListedOnce() {
    ChatCodec.EncodedRequest encoded = new ChatCodec.EncodedRequest(new byte[0], Set.of(Setting.TOP_K));

    assertThat(DroppedParams.of(droppingOnDecode("top_k"), encoded, new AnthropicCodec(), Map.of()))
        .containsExactly("top_k");
  }

  @Test
  void theProtocolVersionHeaderIsNotADroppedParam() {
    assertThat(DroppedParams.of(droppingOnDecode(), ChatCodec.EncodedRequest.whole(new byte[0]), new AnthropicCodec(),
        Map.of("anthropic-version", "2023-06-01"))).isEmpty();
  }
}

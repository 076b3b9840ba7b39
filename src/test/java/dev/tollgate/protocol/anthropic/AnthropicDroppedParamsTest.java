package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an Anthropic request loses in a conversion, and what an Anthropic upstream cannot take (§5.16). */
class AnthropicDroppedParamsTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  private ChatRequest decode(String extraMembers) {
    return codec.decodeRequest(utf8("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + extraMembers + "}"), ChatCodec.RequestTarget.NONE);
  }

  @Test
  void unknownTopLevelFieldsAreReported() {
    assertThat(decode("\"container\":\"c1\",\"mcp_servers\":[],\"top_k\":5").droppedParams())
        .containsExactly("container", "mcp_servers");
  }

  @Test
  void fieldsCarriedOrDroppedSilentlyAreNotReported() {
    ChatRequest request = decode("\"system\":\"s\",\"metadata\":{\"user_id\":\"u\"},\"service_tier\":\"auto\","
        + "\"stop_sequences\":[\"x\"],\"temperature\":0.2,\"top_p\":0.9,\"stream\":false");

    assertThat(request.droppedParams()).isEmpty();
  }

  @Test
  void penaltiesAndSeedAreWhatAnAnthropicUpstreamCannotTake() {
    ChatRequest request = new ChatRequest("m", List.of(), Fixtures.ASKED.messages(), List.of(), null, null, null, 0.5,
        null, 40, List.of(), 0.1, 0.2, 7L, null, null, null, null, false, List.of());

    assertThat(codec.encodeRequest(request, "claude-x").dropped())
        .containsExactlyInAnyOrder(Setting.PRESENCE_PENALTY, Setting.FREQUENCY_PENALTY, Setting.SEED);
    assertThat(codec.encodeRequest(Fixtures.ASKED, "claude-x").dropped()).isEmpty();
  }

  @Test
  void settingsAreNamedAsAnthropicClientsWriteThem() {
    assertThat(codec.paramName(Setting.TOP_K)).isEqualTo("top_k");
    assertThat(codec.paramName(Setting.NO_PARALLEL_TOOL_CALLS)).isEqualTo("disable_parallel_tool_use");
  }
}

package dev.tollgate.protocol.gemini;

import static dev.tollgate.protocol.gemini.Canonical.text;
import static dev.tollgate.protocol.gemini.Canonical.user;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.ChatCodec.RequestTarget;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Gemini request loses in a conversion, and what a Gemini upstream cannot take (§5.16). */
class GeminiDroppedParamsTest {

  private final GeminiCodec codec = new GeminiCodec();

  private ChatRequest decode(String extraMembers) {
    return codec.decodeRequest(("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]," + extraMembers + "}")
        .getBytes(UTF_8), new RequestTarget("gemini-2.5-flash", false));
  }

  @Test
  void safetySettingsAndUnknownFieldsAreReportedAsTheClientSpelledThem() {
    ChatRequest request = decode("\"safetySettings\":[{\"category\":\"HARM_CATEGORY_HARASSMENT\",\"threshold\":\"BLOCK_NONE\"}],"
        + "\"labels\":{\"team\":\"a\"}");

    assertThat(request.droppedParams()).containsExactly("safetySettings", "labels");
    assertThat(decode("\"safety_settings\":[]").droppedParams()).containsExactly("safety_settings");
  }

  @Test
  void fieldsCarriedAreNotReportedInEitherSpelling() {
    ChatRequest request = decode("\"system_instruction\":{\"parts\":[{\"text\":\"s\"}]},\"generationConfig\":{\"topK\":3},"
        + "\"tool_config\":{\"functionCallingConfig\":{\"mode\":\"AUTO\"}},\"model\":\"gemini-2.5-flash\"");

    assertThat(request.droppedParams()).isEmpty();
  }

  @Test
  void oneCallPerTurnIsWhatAGeminiUpstreamCannotTake() {
    Canonical.Builder single = Canonical.builder(List.of(user(text("hi"))));
    single.parallelToolCalls = false;
    Canonical.Builder parallel = Canonical.builder(List.of(user(text("hi"))));
    parallel.parallelToolCalls = true;

    assertThat(codec.encodeRequest(single.build(), "g").dropped()).containsExactly(Setting.NO_PARALLEL_TOOL_CALLS);
    assertThat(codec.encodeRequest(parallel.build(), "g").dropped()).as("parallel calls are Gemini's default").isEmpty();
  }

  @Test
  void settingsAreNamedAsGeminiClientsWriteThem() {
    assertThat(List.of(Setting.PRESENCE_PENALTY, Setting.FREQUENCY_PENALTY, Setting.SEED, Setting.TOP_K))
        .extracting(codec::paramName).containsExactly("presencePenalty", "frequencyPenalty", "seed", "topK");
  }
}

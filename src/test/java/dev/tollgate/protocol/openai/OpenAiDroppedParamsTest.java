package dev.tollgate.protocol.openai;

import static dev.tollgate.protocol.openai.CodecFixtures.CODEC;
import static dev.tollgate.protocol.openai.CodecFixtures.decode;
import static dev.tollgate.protocol.openai.CodecFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an OpenAI request loses in a conversion, as the header reports it (protocols.md §5.16). */
class OpenAiDroppedParamsTest {

  @Test
  void logitBiasAndUnknownFieldsAreReportedInRequestOrder() {
    ChatRequest request = decode(request("\"top_k\":5,\"logit_bias\":{\"50256\":-100},\"enable_thinking\":true"));

    assertThat(request.droppedParams()).containsExactly("top_k", "logit_bias", "enable_thinking");
  }

  @Test
  void fieldsCarriedOrDroppedSilentlyAreNotReported() {
    ChatRequest request = decode(request("\"temperature\":0.5,\"seed\":3,\"presence_penalty\":1,\"user\":\"u\","
        + "\"store\":true,\"metadata\":{\"a\":\"b\"},\"service_tier\":\"auto\",\"prediction\":null,\"verbosity\":\"low\","
        + "\"prompt_cache_key\":\"k\",\"safety_identifier\":\"s\",\"stream_options\":{\"include_usage\":true},"
        + "\"logprobs\":false,\"modalities\":[\"text\"]"));

    assertThat(request.droppedParams()).isEmpty();
  }

  @Test
  void anUnknownFieldSetToNullIsAbsent() {
    assertThat(decode(request("\"logit_bias\":null,\"whatever\":null")).droppedParams()).isEmpty();
  }

  @Test
  void topKIsTheOneSettingAnOpenAiUpstreamCannotTake() {
    ChatRequest withTopK = new ChatRequest("m", List.of(), CodecFixtures.ASKED.messages(), List.of(), null, false, null,
        null, null, 40, List.of(), 0.1, 0.2, 7L, null, null, null, null, false, List.of());

    assertThat(CODEC.encodeRequest(withTopK, "up").dropped()).containsExactly(Setting.TOP_K);
    assertThat(CODEC.encodeRequest(CodecFixtures.ASKED, "up").dropped()).isEmpty();
  }

  @Test
  void settingsAreNamedAsOpenAiClientsWriteThem() {
    assertThat(List.of(Setting.values())).extracting(CODEC::paramName).containsExactly(
        "presence_penalty", "frequency_penalty", "seed", "top_k", "parallel_tool_calls");
  }
}

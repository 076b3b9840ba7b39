package dev.tollgate.protocol.anthropic;

import static dev.tollgate.protocol.anthropic.Fixtures.failure;
import static dev.tollgate.protocol.anthropic.Fixtures.tree;
import static dev.tollgate.protocol.anthropic.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.FinishReason;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Reasoning;
import dev.tollgate.protocol.canonical.ResponseFormat;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import dev.tollgate.protocol.canonical.Tool;
import dev.tollgate.protocol.canonical.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A JSON schema answer from Anthropic through the forced json_output tool (protocols.md §5.10). */
class JsonOutputToolTest {

  private final AnthropicCodec codec = new AnthropicCodec();

  private static final String OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
  private static final String ARRAY_SCHEMA = "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}";

  private static ChatRequest asking(String schema, List<Tool> tools, ToolChoice choice, Reasoning reasoning) {
    return new ChatRequest("client-model", List.of(), List.of(Message.text(Role.USER, "hi")), tools, choice, null, null,
        null, null, null, List.of(), null, null, null, null,
        new ResponseFormat.JsonSchema("answer", schema == null ? null : tree(schema), true), reasoning, null, false, List.of());
  }

  private static ChatRequest asking(String schema) {
    return asking(schema, List.of(), null, null);
  }

  private JsonNode encode(ChatRequest request) {
    return tree(codec.encodeRequest(request, "claude-x").body());
  }

  // --- the request -----------------------------------------------------------------------------

  @Test
  void anObjectSchemaBecomesTheForcedToolsInputSchema() {
    JsonNode body = encode(asking(OBJECT_SCHEMA));

    assertThat(body.get("tools")).hasSize(1);
    JsonNode tool = body.get("tools").get(0);
    assertThat(tool.get("name").asText()).isEqualTo("json_output");
    assertThat(tool.get("description").asText()).contains("calling this tool");
    assertThat(tool.get("input_schema")).isEqualTo(tree(OBJECT_SCHEMA));
    assertThat(body.get("tool_choice")).isEqualTo(
        tree("{\"type\":\"tool\",\"name\":\"json_output\",\"disable_parallel_tool_use\":true}"));
    assertThat(body.has("system")).as("no instruction: the tool is the instruction").isFalse();
  }

  @Test
  void aSchemaWhoseRootIsNotAnObjectIsWrappedAsValue() {
    JsonNode schema = encode(asking(ARRAY_SCHEMA)).get("tools").get(0).get("input_schema");

    assertThat(schema).isEqualTo(tree(
        "{\"type\":\"object\",\"properties\":{\"value\":" + ARRAY_SCHEMA + "},\"required\":[\"value\"]}"));
  }

  @Test
  void aJsonSchemaFormatWithoutASchemaAsksForAnyObject() {
    assertThat(encode(asking(null)).get("tools").get(0).get("input_schema")).isEqualTo(tree("{\"type\":\"object\"}"));
  }

  @Test
  void theClientsToolsStayAndTheForcedToolIsJsonOutput() {
    JsonNode body = encode(asking(OBJECT_SCHEMA, List.of(new Tool("get_weather", null, null, null)),
        new ToolChoice.Specific("get_weather"), null));

    assertThat(body.get("tools")).extracting(t -> t.get("name").asText()).containsExactly("get_weather", "json_output");
    assertThat(body.get("tool_choice").get("name").asText()).isEqualTo("json_output");
  }

  @Test
  void thinkingWithAJsonSchemaIsRejectedNamingResponseFormat() {
    var error = failure(() -> encode(asking(OBJECT_SCHEMA, List.of(), null, new Reasoning("low", null, false))));

    assertThat(error.param()).isEqualTo("response_format");
    assertThat(error.message()).contains("thinking");
  }

  @Test
  void aClientToolNamedJsonOutputIsRejected() {
    var error = failure(() -> encode(asking(OBJECT_SCHEMA, List.of(new Tool("json_output", null, null, null)), null, null)));

    assertThat(error.param()).isEqualTo("tools");
  }

  // --- the complete answer ---------------------------------------------------------------------

  private static String answer(String input, String stopReason) {
    return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":["
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"json_output\",\"input\":" + input + "}],"
        + "\"stop_reason\":\"" + stopReason + "\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
  }

  @Test
  void theForcedCallComesBackAsTextWithAStopFinish() {
    ChatResponse.Choice choice = codec.decodeResponse(utf8(answer("{\"city\":\"Paris\"}", "tool_use")), asking(OBJECT_SCHEMA))
        .choices().getFirst();

    assertThat(choice.parts()).containsExactly(new ContentPart.Text("{\"city\":\"Paris\"}"));
    assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void aWrappedAnswerIsUnwrapped() {
    ChatResponse.Choice choice = codec.decodeResponse(
        utf8(answer("{\"value\":[\"red\",\"blue\"]}", "tool_use")), asking(ARRAY_SCHEMA)).choices().getFirst();

    assertThat(choice.parts()).containsExactly(new ContentPart.Text("[\"red\",\"blue\"]"));
  }

  @Test
  void anAnswerCutByMaxTokensStillSaysLength() {
    ChatResponse.Choice choice = codec.decodeResponse(utf8(answer("{}", "max_tokens")), asking(OBJECT_SCHEMA))
        .choices().getFirst();

    assertThat(choice.finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void withoutAJsonSchemaAToolNamedJsonOutputIsAnOrdinaryCall() {
    ChatResponse.Choice choice = codec.decodeResponse(utf8(answer("{\"city\":\"Paris\"}", "tool_use")), Fixtures.ASKED)
        .choices().getFirst();

    assertThat(choice.parts()).containsExactly(new ContentPart.ToolCall("toolu_1", "json_output", "{\"city\":\"Paris\"}"));
    assertThat(choice.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  // --- the stream ------------------------------------------------------------------------------

  private static String stream(String... inputPieces) {
    StringBuilder sse = new StringBuilder();
    sse.append(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\","
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"));
    sse.append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"json_output\",\"input\":{}}}"));
    for (String piece : inputPieces) {
      sse.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
          + "{\"type\":\"input_json_delta\",\"partial_json\":" + quote(piece) + "}}"));
    }
    sse.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    sse.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
        + "\"usage\":{\"output_tokens\":7}}"));
    sse.append(event("message_stop", "{\"type\":\"message_stop\"}"));
    return sse.toString();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private List<StreamEvent> decodeStream(String sse, ChatRequest request) {
    List<StreamEvent> events = new ArrayList<>();
    ChatCodec.StreamDecoder decoder = codec.newStreamDecoder(request);
    decoder.feed(utf8(sse), events::add);
    decoder.finish(events::add);
    return events;
  }

  private static final TokenUsage STREAM_USAGE = new TokenUsage(5, 0, 0, 7, 0);

  @Test
  void aStreamedAnswerArrivesAsTextDeltasAndEndsWithStop() {
    List<StreamEvent> events = decodeStream(stream("{\"city\": ", "\"Par", "is\"}"), asking(OBJECT_SCHEMA));

    assertThat(events).containsExactly(
        new StreamEvent.Start("msg_1", "claude-x", new TokenUsage(5, 0, 0, 0, 0)),
        new StreamEvent.TextDelta("{\"city\": "),
        new StreamEvent.TextDelta("\"Par"),
        new StreamEvent.TextDelta("is\"}"),
        new StreamEvent.BlockStop(),
        new StreamEvent.Finish(FinishReason.STOP, STREAM_USAGE));
  }

  @Test
  void aStreamedWrappedAnswerIsToldWholeWhenItsBlockEnds() {
    List<StreamEvent> events = decodeStream(stream("{\"value\": [\"re", "d\"]}"), asking(ARRAY_SCHEMA));

    assertThat(events).containsExactly(
        new StreamEvent.Start("msg_1", "claude-x", new TokenUsage(5, 0, 0, 0, 0)),
        new StreamEvent.TextDelta("[\"red\"]"),
        new StreamEvent.BlockStop(),
        new StreamEvent.Finish(FinishReason.STOP, STREAM_USAGE));
  }

  @Test
  void blockEventsWithoutAnIndexAreIgnoredWithOrWithoutTheEmulation() {
    String sse = stream("{}").replace("\"type\":\"content_block_stop\",\"index\":0", "\"type\":\"content_block_stop\"")
        .replace("\"index\":0,\"delta\"", "\"delta\"");

    for (ChatRequest request : List.of(Fixtures.ASKED, asking(OBJECT_SCHEMA), asking(ARRAY_SCHEMA))) {
      assertThat(decodeStream(sse, request).getLast()).isInstanceOf(StreamEvent.Finish.class);
    }
  }

  @Test
  void withoutAJsonSchemaTheStreamedCallStaysACall() {
    List<StreamEvent> events = decodeStream(stream("{}"), Fixtures.ASKED);

    assertThat(events).contains(new StreamEvent.ToolCallStart(0, "toolu_1", "json_output"));
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(FinishReason.TOOL_CALLS, STREAM_USAGE));
  }
}

package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import java.time.Clock;

/**
 * Canonical → the {@code chat.completion} an OpenAI client receives.
 *
 * <p>Thinking becomes {@code message.reasoning_content} only when the client opted in: it is not
 * part of the official API and strict clients may reject unknown fields (§5.11). Its tokens show
 * in {@code reasoning_tokens} either way. Usage is written when known; the caller fills estimates
 * before encoding.
 */
final class OpenAiResponseEncoder {

  private OpenAiResponseEncoder() {}

  static byte[] encode(ChatResponse response, String clientModel, boolean reasoningText, Clock clock) {
    ObjectNode body = OpenAiTree.object();
    body.put("id", OpenAiIds.completionId(response.id()));
    body.put("object", "chat.completion");
    body.put("created", response.created() > 0 ? response.created() : clock.instant().getEpochSecond());
    body.put("model", clientModel);
    ArrayNode choices = body.putArray("choices");
    for (ChatResponse.Choice choice : response.choices()) {
      choices.add(choice(choice, reasoningText));
    }
    if (response.usage() != null) {
      body.set("usage", OpenAiTokenUsage.encode(response.usage()));
    }
    return OpenAiTree.bytes(body);
  }

  private static ObjectNode choice(ChatResponse.Choice choice, boolean reasoningText) {
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = OpenAiTree.array();
    for (ContentPart part : choice.parts()) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
        hasText = true;
      } else if (part instanceof ContentPart.Thinking thinking && !thinking.redacted() && thinking.text() != null) {
        reasoning.append(thinking.text());
      } else if (part instanceof ContentPart.ToolCall call) {
        ObjectNode json = calls.addObject().put("id", call.id()).put("type", "function");
        String arguments = call.argumentsJson() == null || call.argumentsJson().isEmpty() ? "{}" : call.argumentsJson();
        json.putObject("function").put("name", call.name()).put("arguments", arguments);
      }
    }
    ObjectNode json = OpenAiTree.object().put("index", choice.index());
    ObjectNode message = json.putObject("message").put("role", "assistant");
    if (hasText) {
      message.put("content", text.toString());
    } else {
      message.putNull("content");
    }
    if (reasoningText && !reasoning.isEmpty()) {
      message.put("reasoning_content", reasoning.toString());
    }
    message.putNull("refusal");
    if (!calls.isEmpty()) {
      message.set("tool_calls", calls);
    }
    json.putNull("logprobs");
    json.put("finish_reason", OpenAiFinishReasons.encode(choice.finishReason(), !calls.isEmpty()));
    return json;
  }
}

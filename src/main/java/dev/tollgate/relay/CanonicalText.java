package dev.tollgate.relay;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import java.util.List;

/** The text of a canonical request, for token estimates (images and audio are not text). */
final class CanonicalText {

  private CanonicalText() {}

  static ClientRequest.PromptText prompt(ChatRequest request) {
    StringBuilder text = new StringBuilder();
    request.system().forEach(part -> text.append(part.text()).append('\n'));
    for (Message message : request.messages()) {
      append(message.parts(), text);
    }
    request.tools().forEach(tool -> text.append(tool.name()).append(' ')
        .append(tool.description() == null ? "" : tool.description()).append(' ')
        .append(tool.parameters() == null ? "" : tool.parameters().toString()).append('\n'));
    return new ClientRequest.PromptText(text.toString(), request.messages().size() + (request.system().isEmpty() ? 0 : 1));
  }

  /** The generated text of an answer (all choices), for estimates. */
  static String answer(ChatResponse response) {
    StringBuilder text = new StringBuilder();
    response.choices().forEach(choice -> append(choice.parts(), text));
    return text.toString();
  }

  private static void append(List<ContentPart> parts, StringBuilder text) {
    for (ContentPart part : parts) {
      switch (part) {
        case ContentPart.Text t -> text.append(t.text()).append('\n');
        case ContentPart.ToolCall call -> text.append(call.name()).append(' ').append(call.argumentsJson()).append('\n');
        case ContentPart.ToolResult result -> append(result.content(), text);
        case ContentPart.Thinking thinking -> text.append(thinking.text() == null ? "" : thinking.text()).append('\n');
        case ContentPart.Image ignored -> { }
        case ContentPart.Audio ignored -> { }
        case ContentPart.File ignored -> { }
      }
    }
  }
}

package dev.tollgate.relay;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The image parts of a chat request, in request order: message by message, part by part, with the
 * images inside a tool result at that result's place.
 */
final class ImageParts {

  private ImageParts() {}

  static List<ContentPart.Image> all(ChatRequest request) {
    List<ContentPart.Image> images = new ArrayList<>();
    replace(request, image -> {
      images.add(image);
      return image;
    });
    return images;
  }

  /** The request with every image part replaced by {@code change} (visited in request order). */
  static ChatRequest replace(ChatRequest request, UnaryOperator<ContentPart.Image> change) {
    List<Message> messages = new ArrayList<>(request.messages().size());
    for (Message message : request.messages()) {
      messages.add(new Message(message.role(), replace(message.parts(), change)));
    }
    return request.withMessages(messages);
  }

  private static List<ContentPart> replace(List<ContentPart> parts, UnaryOperator<ContentPart.Image> change) {
    List<ContentPart> replaced = new ArrayList<>(parts.size());
    for (ContentPart part : parts) {
      replaced.add(switch (part) {
        case ContentPart.Image image -> change.apply(image);
        case ContentPart.ToolResult result ->
            new ContentPart.ToolResult(result.callId(), result.name(), replace(result.content(), change), result.isError());
        case ContentPart.Text text -> text;
        case ContentPart.Audio audio -> audio;
        case ContentPart.File file -> file;
        case ContentPart.ToolCall call -> call;
        case ContentPart.Thinking thinking -> thinking;
      });
    }
    return replaced;
  }
}

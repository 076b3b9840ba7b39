package dev.tollgate.protocol.gemini;

import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import java.util.List;

/** Short spellings of canonical values for tests. */
final class Canonical {

  private Canonical() {}

  static ContentPart.Text text(String text) {
    return new ContentPart.Text(text);
  }

  static Message user(ContentPart... parts) {
    return new Message(Role.USER, List.of(parts));
  }

  static Message assistant(ContentPart... parts) {
    return new Message(Role.ASSISTANT, List.of(parts));
  }

  static Message tool(ContentPart... parts) {
    return new Message(Role.TOOL, List.of(parts));
  }

  static ContentPart.ToolCall call(String id, String name, String args) {
    return new ContentPart.ToolCall(id, name, args);
  }

  static ContentPart.ToolResult result(String callId, String content) {
    return new ContentPart.ToolResult(callId, null, List.of(text(content)), false);
  }

  static ChatRequest request(List<Message> messages) {
    return builder(messages).build();
  }

  /** A plain request, for answers whose decoding does not depend on what was asked. */
  static final ChatRequest ASKED = request(List.of(user(text("Hi"))));

  static Builder builder(List<Message> messages) {
    return new Builder(messages);
  }

  /** A request with every optional setting absent unless a test sets it. */
  static final class Builder {
    List<ContentPart.Text> system = List.of();
    final List<Message> messages;
    List<dev.tollgate.protocol.canonical.Tool> tools = List.of();
    dev.tollgate.protocol.canonical.ToolChoice toolChoice;
    Boolean parallelToolCalls;
    Integer maxOutputTokens;
    Double temperature;
    Double topP;
    Integer topK;
    List<String> stop = List.of();
    Double presencePenalty;
    Double frequencyPenalty;
    Long seed;
    Integer n;
    dev.tollgate.protocol.canonical.ResponseFormat responseFormat;
    dev.tollgate.protocol.canonical.Reasoning reasoning;
    String user;

    Builder(List<Message> messages) {
      this.messages = messages;
    }

    ChatRequest build() {
      return new ChatRequest("gemini-2.5-flash", system, messages, tools, toolChoice, parallelToolCalls,
          maxOutputTokens, temperature, topP, topK, stop, presencePenalty, frequencyPenalty, seed, n,
          responseFormat, reasoning, user, false, List.of());
    }
  }
}

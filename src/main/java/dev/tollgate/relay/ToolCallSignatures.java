package dev.tollgate.relay;

import dev.tollgate.account.Caller;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.ChatResponse;
import dev.tollgate.protocol.canonical.ContentPart;
import dev.tollgate.protocol.canonical.Message;
import dev.tollgate.protocol.canonical.Role;
import dev.tollgate.protocol.canonical.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries Gemini thought signatures across a client protocol that drops them (protocols.md §5.6):
 * a converted answer's tool calls leave theirs in the {@link ThoughtSignatures} store, and the
 * client's next request, converted for Gemini, gets them back on the calls it echoes. Only Gemini
 * decoders fill signatures, so answers of other upstreams leave nothing behind.
 */
final class ToolCallSignatures {

  private final ThoughtSignatures store;

  ToolCallSignatures(ThoughtSignatures store) {
    this.store = store;
  }

  void remember(Caller key, ChatResponse answer) {
    for (ChatResponse.Choice choice : answer.choices()) {
      for (ContentPart part : choice.parts()) {
        if (part instanceof ContentPart.ToolCall call && call.thoughtSignature() != null) {
          store.remember(key.keyId(), call.id(), call.thoughtSignature());
        }
      }
    }
  }

  void remember(Caller key, StreamEvent.ToolCallStart call) {
    if (call.thoughtSignature() != null) {
      store.remember(key.keyId(), call.id(), call.thoughtSignature());
    }
  }

  /** The request with each assistant tool call that lacks a signature given the one remembered; on a miss, none. */
  ChatRequest restore(Caller key, ChatRequest request) {
    List<Message> messages = new ArrayList<>(request.messages().size());
    boolean changed = false;
    for (Message message : request.messages()) {
      Message restored = message.role() == Role.ASSISTANT ? restore(key, message) : message;
      changed |= restored != message;
      messages.add(restored);
    }
    return changed ? request.withMessages(messages) : request;
  }

  private Message restore(Caller key, Message message) {
    List<ContentPart> parts = new ArrayList<>(message.parts().size());
    boolean changed = false;
    for (ContentPart part : message.parts()) {
      if (part instanceof ContentPart.ToolCall call && call.thoughtSignature() == null) {
        String signature = store.find(key.keyId(), call.id());
        if (signature != null) {
          part = call.withThoughtSignature(signature);
          changed = true;
        }
      }
      parts.add(part);
    }
    return changed ? new Message(message.role(), parts) : message;
  }
}

package dev.tollgate.protocol.canonical;

import java.util.List;

public record Message(Role role, List<ContentPart> parts) {

  public Message {
    parts = List.copyOf(parts);
  }

  public static Message text(Role role, String text) {
    return new Message(role, List.of(new ContentPart.Text(text)));
  }
}

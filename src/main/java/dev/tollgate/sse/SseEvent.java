package dev.tollgate.sse;

/**
 * One server-sent event.
 *
 * @param raw the event's bytes exactly as received, blank line included (for byte-exact relaying)
 * @param event the {@code event:} field, or null
 * @param data the {@code data:} lines joined with {@code \n}, or null when the event had none
 *     (a comment-only block)
 */
public record SseEvent(byte[] raw, String event, String data) {

  public boolean isComment() {
    return data == null && event == null;
  }
}

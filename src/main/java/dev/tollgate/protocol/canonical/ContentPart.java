package dev.tollgate.protocol.canonical;

import java.util.List;

/** One piece of a message. A closed set: a switch over it must handle every kind. */
public sealed interface ContentPart {

  record Text(String text) implements ContentPart {}

  /**
   * An image given either inline ({@code data} base64, {@code mimeType} set) or by {@code url}
   * (http(s), or a provider file URI). Exactly one of {@code data} and {@code url} is non-null.
   */
  record Image(String mimeType, String data, String url) implements ContentPart {
    public static Image inline(String mimeType, String base64) {
      return new Image(mimeType, base64, null);
    }

    public static Image remote(String url) {
      return new Image(null, null, url);
    }

    public boolean isInline() {
      return data != null;
    }
  }

  /** Input audio, base64; {@code format} is {@code wav}, {@code mp3}, … */
  record Audio(String format, String data) implements ContentPart {}

  /** A document such as a PDF, base64 with its MIME type, and a file name when known. */
  record File(String mimeType, String data, String filename) implements ContentPart {}

  /**
   * A call the model made.
   *
   * @param argumentsJson the arguments as JSON text, exactly as generated (may be invalid JSON)
   * @param thoughtSignature Gemini's opaque {@code thoughtSignature} issued with this call, or
   *     null; Gemini 3 rejects a follow-up turn whose calls lack it (protocols.md §5.6)
   */
  record ToolCall(String id, String name, String argumentsJson, String thoughtSignature) implements ContentPart {

    /** A call without a thought signature: every protocol but Gemini. */
    public ToolCall(String id, String name, String argumentsJson) {
      this(id, name, argumentsJson, null);
    }

    public ToolCall withThoughtSignature(String signature) {
      return new ToolCall(id, name, argumentsJson, signature);
    }
  }

  /**
   * The result of a call, sent back by the client.
   *
   * @param name the function name, when the protocol carries it (Gemini needs it)
   * @param content text and images; a JSON result is one text part holding the JSON
   */
  record ToolResult(String callId, String name, List<ContentPart> content, boolean isError)
      implements ContentPart {
    public ToolResult {
      content = List.copyOf(content);
    }
  }

  /**
   * Reasoning text. {@code signature} is the vendor's opaque token, valid only for {@code vendor}
   * (e.g. "anthropic", "gemini"); {@code redacted} holds Anthropic's encrypted thinking.
   */
  record Thinking(String text, String signature, String vendor, boolean redacted) implements ContentPart {}
}

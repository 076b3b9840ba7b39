package dev.tollgate.protocol.gemini;

import dev.tollgate.protocol.canonical.FinishReason;

/** Gemini's finish reasons and MIME types in the hub's terms (protocols.md §5.12, §5.3). */
final class GeminiVocabulary {

  private GeminiVocabulary() {}

  /**
   * Upstream {@code finishReason} → canonical. Gemini says {@code STOP} after a function call too,
   * so the caller tells whether the turn held one.
   */
  static FinishReason finishReason(String reason, boolean hadToolCall) {
    if (reason == null) {
      return FinishReason.OTHER;
    }
    return switch (reason) {
      case "STOP" -> hadToolCall ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "UNEXPECTED_TOOL_CALL" -> FinishReason.TOOL_CALLS;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** Canonical → the {@code finishReason} a Gemini client reads. */
  static String finishReason(FinishReason reason) {
    return switch (reason) {
      case STOP, STOP_SEQUENCE, TOOL_CALLS, PAUSE -> "STOP";
      case LENGTH -> "MAX_TOKENS";
      case CONTENT_FILTER -> "SAFETY";
      case OTHER -> "OTHER";
    };
  }

  /** {@code image/jpg} is common and wrong (protocols.md §6.11). */
  static String normaliseMime(String mimeType) {
    if (mimeType == null) {
      return null;
    }
    String lower = mimeType.trim().toLowerCase(java.util.Locale.ROOT);
    return lower.equals("image/jpg") ? "image/jpeg" : lower;
  }

  /** {@code audio/mpeg} → {@code mp3}, {@code audio/x-wav} → {@code wav}, else the subtype. */
  static String audioFormat(String mimeType) {
    String subtype = mimeType.substring(mimeType.indexOf('/') + 1);
    int params = subtype.indexOf(';');
    if (params >= 0) {
      subtype = subtype.substring(0, params).trim();
    }
    return switch (subtype) {
      case "mpeg", "mp3", "mpeg3", "x-mp3" -> "mp3";
      case "wav", "x-wav", "wave", "vnd.wave" -> "wav";
      default -> subtype;
    };
  }

  static String audioMime(String format) {
    return "audio/" + (format == null ? "wav" : format.toLowerCase(java.util.Locale.ROOT));
  }
}

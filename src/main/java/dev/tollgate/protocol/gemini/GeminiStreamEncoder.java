package dev.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.EventBuffer;
import dev.tollgate.protocol.EventTemplate;
import dev.tollgate.protocol.canonical.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Canonical events → a Gemini client's stream, as SSE ({@code alt=sse}) or as one JSON array
 * written incrementally (plain {@code streamGenerateContent}).
 *
 * <p>SSE events end with {@code \r\n\r\n}, as Google's own server writes them; every SSE parser
 * accepts it. Gemini clients expect each function call whole, so calls are buffered and sent as
 * one chunk when the next call starts, at {@code BlockStop}, or at {@code Finish}, with the
 * call's thought signature. Thought parts go out only when the request asked {@code
 * includeThoughts}; bare signatures never do (a signature from another vendor's stream means
 * nothing to a Gemini client).
 */
final class GeminiStreamEncoder implements ChatCodec.StreamEncoder {

  private static final byte[] SSE_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SSE_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] ARRAY_START = {'['};
  private static final byte[] ARRAY_NEXT = {',', '\r', '\n'};
  private static final byte[] ARRAY_END = {']'};
  private static final byte[] EMPTY_ARRAY = {'[', ']'};

  private final String clientModel;
  private final boolean includeThoughts;
  private final boolean jsonArray;

  private final EventBuffer out = new EventBuffer();
  /** The text chunk, fixed but for the text once the response id is known. */
  private EventTemplate textChunk;
  private String textChunkResponseId;
  private String responseId;
  private int chunks;
  private boolean closed;
  private final Map<Integer, PendingCall> pending = new LinkedHashMap<>();

  private static final class PendingCall {
    final String id;
    final String name;
    final String thoughtSignature;
    final StringBuilder args = new StringBuilder();

    PendingCall(String id, String name, String thoughtSignature) {
      this.id = id;
      this.name = name;
      this.thoughtSignature = thoughtSignature;
    }
  }

  GeminiStreamEncoder(String clientModel, boolean includeThoughts, boolean jsonArray) {
    this.clientModel = clientModel;
    this.includeThoughts = includeThoughts;
    this.jsonArray = jsonArray;
  }

  @Override
  public String contentType() {
    return jsonArray ? "application/json" : "text/event-stream";
  }

  /** A JSON array cannot hold an SSE comment, but whitespace between its tokens is valid JSON. */
  @Override
  public byte[] keepalive() {
    return jsonArray ? new byte[] {'\n'} : ChatCodec.StreamEncoder.super.keepalive();
  }

  @Override
  public byte[] encode(StreamEvent event) {
    if (closed) {
      return EMPTY;
    }
    out.reset();
    switch (event) {
      case StreamEvent.Start start -> responseId = start.id();
      case StreamEvent.TextDelta text -> {
        if (text.text() != null && !text.text().isEmpty()) {
          flushCalls(out);
          writeText(out, text.text());
        }
      }
      case StreamEvent.ThinkingDelta thinking -> {
        if (includeThoughts && thinking.text() != null && !thinking.text().isEmpty()) {
          flushCalls(out);
          ObjectNode chunk = chunk();
          parts(chunk).addObject().put("text", thinking.text()).put("thought", true);
          write(out, chunk);
        }
      }
      case StreamEvent.ToolCallStart start -> {
        flushCalls(out);
        pending.put(start.callIndex(), new PendingCall(start.id(), start.name(), start.thoughtSignature()));
      }
      case StreamEvent.ToolArgsDelta delta -> {
        PendingCall call = pending.get(delta.callIndex());
        if (call != null && delta.json() != null) {
          call.args.append(delta.json());
        }
      }
      case StreamEvent.BlockStop stop -> flushCalls(out);
      case StreamEvent.Finish finish -> {
        flushCalls(out);
        ObjectNode chunk = chunk();
        ObjectNode candidate = (ObjectNode) chunk.get("candidates").get(0);
        candidate.put("finishReason", GeminiVocabulary.finishReason(finish.reason()));
        if (finish.usage() != null) {
          chunk.set("usageMetadata", GeminiUsage.encode(finish.usage()));
        }
        write(out, chunk);
        close(out);
      }
      case StreamEvent.Error error -> {
        pending.clear();
        write(out, GeminiErrors.tree(error.error()));
        close(out);
      }
    }
    return out.size() == 0 ? EMPTY : out.toByteArray();
  }

  /**
   * A text chunk — nearly every chunk of a stream — written around a template, no tree or
   * generator per event; the same fields in the same order as {@link #chunk()} builds.
   */
  private void writeText(EventBuffer out, String text) {
    if (textChunk == null || !Objects.equals(textChunkResponseId, responseId)) {
      String id = responseId;
      textChunk = EventTemplate.of(GeminiJson.MAPPER.getFactory(), EMPTY, (json, slot) -> {
        json.writeStartObject();
        json.writeArrayFieldStart("candidates");
        json.writeStartObject();
        json.writeObjectFieldStart("content");
        json.writeStringField("role", "model");
        json.writeArrayFieldStart("parts");
        json.writeStartObject();
        json.writeFieldName("text");
        slot.write();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeNumberField("index", 0);
        json.writeEndObject();
        json.writeEndArray();
        if (clientModel != null) {
          json.writeStringField("modelVersion", clientModel);
        }
        if (id != null) {
          json.writeStringField("responseId", id);
        }
        json.writeEndObject();
      }, EMPTY);
      textChunkResponseId = id;
    }
    openFrame(out);
    textChunk.write(out, text);
    closeFrame(out);
  }

  private void flushCalls(EventBuffer out) {
    if (pending.isEmpty()) {
      return;
    }
    ObjectNode chunk = chunk();
    ArrayNode parts = parts(chunk);
    for (PendingCall call : pending.values()) {
      ObjectNode part = parts.addObject();
      ObjectNode functionCall = part.putObject("functionCall");
      if (call.id != null) {
        functionCall.put("id", call.id);
      }
      functionCall.put("name", call.name);
      functionCall.set("args", GeminiJson.argsObject(call.args.toString()));
      if (call.thoughtSignature != null) {
        part.put("thoughtSignature", call.thoughtSignature); // the client must send it back (Gemini 3)
      }
    }
    pending.clear();
    write(out, chunk);
  }

  private ObjectNode chunk() {
    ObjectNode chunk = GeminiJson.MAPPER.createObjectNode();
    ObjectNode candidate = chunk.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts");
    candidate.put("index", 0);
    if (clientModel != null) {
      chunk.put("modelVersion", clientModel);
    }
    if (responseId != null) {
      chunk.put("responseId", responseId);
    }
    return chunk;
  }

  private static ArrayNode parts(ObjectNode chunk) {
    return (ArrayNode) chunk.get("candidates").get(0).get("content").get("parts");
  }

  private void write(EventBuffer out, ObjectNode json) {
    frame(out, GeminiJson.bytes(json));
  }

  /** One chunk in the client's framing: an SSE event, or the next element of the JSON array. */
  private void frame(EventBuffer out, byte[] body) {
    openFrame(out);
    out.writeBytes(body);
    closeFrame(out);
  }

  private void openFrame(EventBuffer out) {
    out.writeBytes(jsonArray ? chunks == 0 ? ARRAY_START : ARRAY_NEXT : SSE_PREFIX);
  }

  private void closeFrame(EventBuffer out) {
    if (!jsonArray) {
      out.writeBytes(SSE_END);
    }
    chunks++;
  }

  private void close(EventBuffer out) {
    closed = true;
    if (jsonArray) {
      out.writeBytes(chunks == 0 ? EMPTY_ARRAY : ARRAY_END);
    }
  }
}

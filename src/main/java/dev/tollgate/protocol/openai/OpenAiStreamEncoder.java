package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Canonical events → the {@code chat.completion.chunk} stream an OpenAI client reads (protocols.md
 * §5.14). One per stream; not thread-safe.
 *
 * <p>The role chunk comes first (at Start, or before the first content if Start never came), every
 * chunk repeats id, object, created and model (the model the client asked for), and the stream ends
 * with {@code data: [DONE]} after Finish — or with an error data line and nothing more. Thinking
 * becomes {@code delta.reasoning_content} only when the client opted in (not in the official API;
 * strict clients reject unknown fields). The usage chunk is
 * written only when the client asked for it and usage is known: the caller puts estimated usage
 * into Finish when the upstream sent none.
 */
final class OpenAiStreamEncoder implements ChatCodec.StreamEncoder {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NOTHING = new byte[0];

  private final String model;
  private final boolean includeUsage;
  private final boolean reasoningText;
  private final Clock clock;
  private final Map<Integer, Integer> toolIndexByCall = new HashMap<>();
  private String id;
  private long created;
  private boolean ended;

  OpenAiStreamEncoder(ChatRequest request, ChatCodec.StreamOptions options, Clock clock) {
    this.model = request.model();
    this.includeUsage = options != null && options.includeUsage();
    this.reasoningText = options != null && options.reasoningText();
    this.clock = clock;
  }

  @Override
  public String contentType() {
    return "text/event-stream";
  }

  @Override
  public byte[] encode(StreamEvent event) {
    if (ended) {
      return NOTHING;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      switch (event) {
        case StreamEvent.Start start -> start(start.id(), out);
        case StreamEvent.TextDelta text -> delta("content", text.text(), out);
        case StreamEvent.ThinkingDelta thinking -> {
          if (reasoningText) {
            delta("reasoning_content", thinking.text(), out); // a signature alone has no place here
          }
        }
        case StreamEvent.ToolCallStart call -> toolCallStart(call, out);
        case StreamEvent.ToolArgsDelta args -> toolArgs(args, out);
        case StreamEvent.BlockStop stop -> {
          // OpenAI has no block boundaries.
        }
        case StreamEvent.Finish finish -> finish(finish, out);
        case StreamEvent.Error error -> {
          ended = true;
          out.write(OpenAiErrors.streamEvent(error.error()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size() == 0 ? NOTHING : out.toByteArray();
  }

  /** A chunk whose delta holds one text field; nothing for empty text. */
  private void delta(String field, String text, ByteArrayOutputStream out) throws IOException {
    if (text == null || text.isEmpty()) {
      return;
    }
    started(out);
    try (JsonGenerator json = chunk(out)) {
      json.writeStringField(field, text);
      endChunk(json, null);
    }
    out.write('\n');
    out.write('\n');
  }

  private void start(String upstreamId, ByteArrayOutputStream out) throws IOException {
    if (id != null) {
      return;
    }
    id = OpenAiIds.completionId(upstreamId);
    created = clock.instant().getEpochSecond();
    try (JsonGenerator json = chunk(out)) {
      json.writeStringField("role", "assistant");
      json.writeStringField("content", "");
      endChunk(json, null);
    }
    out.write('\n');
    out.write('\n');
  }

  private void started(ByteArrayOutputStream out) throws IOException {
    if (id == null) {
      start(null, out);
    }
  }

  private void toolCallStart(StreamEvent.ToolCallStart call, ByteArrayOutputStream out) throws IOException {
    if (toolIndexByCall.containsKey(call.callIndex())) {
      return;
    }
    started(out);
    int k = toolIndexByCall.size();
    toolIndexByCall.put(call.callIndex(), k);
    try (JsonGenerator json = chunk(out)) {
      json.writeArrayFieldStart("tool_calls");
      json.writeStartObject();
      json.writeNumberField("index", k);
      json.writeStringField("id", call.id() == null || call.id().isEmpty() ? OpenAiIds.callId() : call.id());
      json.writeStringField("type", "function");
      json.writeObjectFieldStart("function");
      json.writeStringField("name", call.name() == null ? "" : call.name());
      json.writeStringField("arguments", "");
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndArray();
      endChunk(json, null);
    }
    out.write('\n');
    out.write('\n');
  }

  private void toolArgs(StreamEvent.ToolArgsDelta args, ByteArrayOutputStream out) throws IOException {
    Integer k = toolIndexByCall.get(args.callIndex());
    if (k == null || args.json() == null || args.json().isEmpty()) {
      return; // arguments of a call that never started have nowhere to go
    }
    try (JsonGenerator json = chunk(out)) {
      json.writeArrayFieldStart("tool_calls");
      json.writeStartObject();
      json.writeNumberField("index", k);
      json.writeObjectFieldStart("function");
      json.writeStringField("arguments", args.json());
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndArray();
      endChunk(json, null);
    }
    out.write('\n');
    out.write('\n');
  }

  private void finish(StreamEvent.Finish finish, ByteArrayOutputStream out) throws IOException {
    started(out);
    ended = true;
    String reason = OpenAiFinishReasons.encode(finish.reason(), !toolIndexByCall.isEmpty());
    try (JsonGenerator json = chunk(out)) {
      endChunk(json, reason);
    }
    out.write('\n');
    out.write('\n');
    if (includeUsage && finish.usage() != null) {
      usageChunk(finish.usage(), out);
    }
    out.write(DONE);
  }

  private void usageChunk(TokenUsage usage, ByteArrayOutputStream out) throws IOException {
    out.write(DATA);
    try (JsonGenerator json = OpenAiJson.FACTORY.createGenerator(out)) {
      header(json);
      json.writeArrayFieldStart("choices");
      json.writeEndArray();
      json.writeObjectFieldStart("usage");
      json.writeNumberField("prompt_tokens", usage.inputTotal());
      json.writeNumberField("completion_tokens", usage.output());
      json.writeNumberField("total_tokens", usage.inputTotal() + usage.output());
      json.writeObjectFieldStart("prompt_tokens_details");
      json.writeNumberField("cached_tokens", usage.cacheRead());
      json.writeEndObject();
      json.writeObjectFieldStart("completion_tokens_details");
      json.writeNumberField("reasoning_tokens", usage.reasoning());
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndObject();
    }
    out.write('\n');
    out.write('\n');
  }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

  /** Writes {@code data: } and a chunk up to the open {@code delta} object of choice 0. */
  private JsonGenerator chunk(ByteArrayOutputStream out) throws IOException {
    out.write(DATA);
    JsonGenerator json = OpenAiJson.FACTORY.createGenerator(out);
    header(json);
    json.writeArrayFieldStart("choices");
    json.writeStartObject();
    json.writeNumberField("index", 0);
    json.writeObjectFieldStart("delta");
    return json;
  }

  private void header(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", id);
    json.writeStringField("object", "chat.completion.chunk");
    json.writeNumberField("created", created);
    json.writeStringField("model", model);
  }

  /** Closes the delta and the chunk; official chunks carry {@code usage: null} when usage was asked for. */
  private void endChunk(JsonGenerator json, String finishReason) throws IOException {
    json.writeEndObject(); // delta
    json.writeNullField("logprobs");
    json.writeStringField("finish_reason", finishReason);
    json.writeEndObject();
    json.writeEndArray();
    if (includeUsage) {
      json.writeNullField("usage");
    }
    json.writeEndObject();
  }
}

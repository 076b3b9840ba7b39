package dev.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.protocol.ChatCodec;
import dev.tollgate.protocol.EventBuffer;
import dev.tollgate.protocol.EventTemplate;
import dev.tollgate.protocol.canonical.ChatRequest;
import dev.tollgate.protocol.canonical.StreamEvent;
import dev.tollgate.protocol.canonical.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
  private final EventBuffer out = new EventBuffer();
  /** The hot chunks, fixed once id and created are: text, reasoning, and arguments by tool index. */
  private EventTemplate contentChunk;
  private EventTemplate reasoningChunk;
  private final List<EventTemplate> argumentsChunks = new ArrayList<>();
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
    out.reset();
    try {
      switch (event) {
        case StreamEvent.Start start -> start(start.id(), out);
        case StreamEvent.TextDelta text -> delta(false, text.text(), out);
        case StreamEvent.ThinkingDelta thinking -> {
          if (reasoningText) {
            delta(true, thinking.text(), out); // a signature alone has no place here
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

  /** A chunk whose delta holds content (or reasoning_content); nothing for empty text. */
  private void delta(boolean reasoning, String text, EventBuffer out) throws IOException {
    if (text == null || text.isEmpty()) {
      return;
    }
    started(out);
    if (reasoning) {
      reasoningChunk = reasoningChunk != null ? reasoningChunk : textChunk("reasoning_content");
      reasoningChunk.write(out, text);
    } else {
      contentChunk = contentChunk != null ? contentChunk : textChunk("content");
      contentChunk.write(out, text);
    }
  }

  private EventTemplate textChunk(String field) {
    return EventTemplate.of(OpenAiJson.FACTORY, DATA, (json, text) -> {
      openChunk(json);
      json.writeFieldName(field);
      text.write();
      endChunk(json, null);
    }, BLANK_LINE);
  }

  private void start(String upstreamId, EventBuffer out) throws IOException {
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

  private void started(EventBuffer out) throws IOException {
    if (id == null) {
      start(null, out);
    }
  }

  private void toolCallStart(StreamEvent.ToolCallStart call, EventBuffer out) throws IOException {
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

  private void toolArgs(StreamEvent.ToolArgsDelta args, EventBuffer out) {
    Integer k = toolIndexByCall.get(args.callIndex());
    if (k == null || args.json() == null || args.json().isEmpty()) {
      return; // arguments of a call that never started have nowhere to go
    }
    while (argumentsChunks.size() <= k) {
      argumentsChunks.add(argumentsChunk(argumentsChunks.size()));
    }
    argumentsChunks.get(k).write(out, args.json());
  }

  private EventTemplate argumentsChunk(int k) {
    return EventTemplate.of(OpenAiJson.FACTORY, DATA, (json, arguments) -> {
      openChunk(json);
      json.writeArrayFieldStart("tool_calls");
      json.writeStartObject();
      json.writeNumberField("index", k);
      json.writeObjectFieldStart("function");
      json.writeFieldName("arguments");
      arguments.write();
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndArray();
      endChunk(json, null);
    }, BLANK_LINE);
  }

  private void finish(StreamEvent.Finish finish, EventBuffer out) throws IOException {
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

  private void usageChunk(TokenUsage usage, EventBuffer out) throws IOException {
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
  private static final byte[] BLANK_LINE = {'\n', '\n'};

  /** Writes {@code data: } and a chunk up to the open {@code delta} object of choice 0. */
  private JsonGenerator chunk(EventBuffer out) throws IOException {
    out.write(DATA);
    JsonGenerator json = OpenAiJson.FACTORY.createGenerator(out);
    openChunk(json);
    return json;
  }

  private void openChunk(JsonGenerator json) throws IOException {
    header(json);
    json.writeArrayFieldStart("choices");
    json.writeStartObject();
    json.writeNumberField("index", 0);
    json.writeObjectFieldStart("delta");
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

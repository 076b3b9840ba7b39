package dev.tollgate.protocol.canonical;

import java.util.List;

/**
 * A chat request in the hub's terms. Optional settings are null when the client did not give
 * them, so an encoder sends only what was asked.
 *
 * @param system the system prompt, as text parts in order (empty: none)
 * @param n choices wanted; null means 1
 * @param user the end-user id the client passed, if any
 * @param droppedParams fields of the client's request the canonical model has no place for and
 *     that a conversion loses, as the client named them (protocols.md §5.16 "drop + warn"); fields
 *     dropped silently by that policy are not listed
 */
public record ChatRequest(
    String model,
    List<ContentPart.Text> system,
    List<Message> messages,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Integer maxOutputTokens,
    Double temperature,
    Double topP,
    Integer topK,
    List<String> stop,
    Double presencePenalty,
    Double frequencyPenalty,
    Long seed,
    Integer n,
    ResponseFormat responseFormat,
    Reasoning reasoning,
    String user,
    boolean stream,
    List<String> droppedParams) {

  public ChatRequest {
    system = system == null ? List.of() : List.copyOf(system);
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    stop = stop == null ? List.of() : List.copyOf(stop);
    droppedParams = droppedParams == null ? List.of() : List.copyOf(droppedParams);
  }

  /** The same request with other messages (images fetched, signatures restored, …). */
  public ChatRequest withMessages(List<Message> replaced) {
    return new ChatRequest(model, system, replaced, tools, toolChoice, parallelToolCalls, maxOutputTokens,
        temperature, topP, topK, stop, presencePenalty, frequencyPenalty, seed, n, responseFormat, reasoning, user,
        stream, droppedParams);
  }

  /** The same request with another reasoning setting. */
  public ChatRequest withReasoning(Reasoning replaced) {
    return new ChatRequest(model, system, messages, tools, toolChoice, parallelToolCalls, maxOutputTokens,
        temperature, topP, topK, stop, presencePenalty, frequencyPenalty, seed, n, responseFormat, replaced, user,
        stream, droppedParams);
  }
}

package dev.tollgate.protocol.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/** Structured output. */
public sealed interface ResponseFormat {

  record Text() implements ResponseFormat {}

  record JsonObject() implements ResponseFormat {}

  /** @param name the schema's name where the protocol has one (OpenAI), else "response" */
  record JsonSchema(String name, JsonNode schema, Boolean strict) implements ResponseFormat {}
}

package dev.tollgate.protocol.canonical;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param parameters the JSON Schema of the arguments, or null when the tool takes none
 * @param strict OpenAI's strict mode; null when not given
 */
public record Tool(String name, String description, JsonNode parameters, Boolean strict) {}

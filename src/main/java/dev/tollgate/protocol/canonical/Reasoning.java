package dev.tollgate.protocol.canonical;

/**
 * How much the model should think. Either an effort level (OpenAI) or a token budget
 * (Anthropic, Gemini); codecs map one to the other with protocols.md §5.11.
 *
 * @param effort none, minimal, low, medium, high — or null when a budget is given
 * @param budgetTokens the budget, or null when an effort is given; 0 means off
 * @param includeThoughts the client wants the reasoning text back
 */
public record Reasoning(String effort, Integer budgetTokens, boolean includeThoughts) {}

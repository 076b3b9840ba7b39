package dev.tollgate.protocol.media;

/**
 * What an upstream's image answer delivered.
 *
 * @param images the entries of its {@code data} array: what the client is billed for
 * @param inputTokens the GPT image models' {@code usage.input_tokens}, or null when not reported
 * @param outputTokens the GPT image models' {@code usage.output_tokens}, or null when not reported
 */
public record ImageAnswer(int images, Integer inputTokens, Integer outputTokens) {}

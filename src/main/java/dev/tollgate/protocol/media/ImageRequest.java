package dev.tollgate.protocol.media;

/**
 * An OpenAI image generation request, as far as the gateway reads it: what prices it and what
 * shapes the answer. Every other field stays in the body, which travels as the client sent it.
 *
 * @param model the model asked for; {@code dall-e-2} when the client named none, as OpenAI does
 * @param images how many images are asked for ({@code n}), 1 to 10
 * @param size as the client wrote it ({@code 1024x1024}, {@code auto}, …), or null for the model's default
 * @param quality as the client wrote it ({@code hd}, {@code high}, …), or null for the model's default
 * @param responseFormat {@code url} or {@code b64_json}, or null for the model's default
 * @param stream the client asked for partial images as server-sent events (GPT image models)
 */
public record ImageRequest(String model, String prompt, int images, String size, String quality, String responseFormat,
    boolean stream) {}

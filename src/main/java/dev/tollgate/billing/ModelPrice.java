package dev.tollgate.billing;

/**
 * What a model costs, in micro-cents. Token prices are per million tokens; unit prices are null
 * when the model is not sold by that unit.
 *
 * @param cachedInput per million prompt tokens read from a cache; null = the input price
 * @param perImage per generated image
 * @param perAudioSecond per second of audio transcribed or translated
 * @param perMillionCharacters per million characters of text turned into speech
 */
public record ModelPrice(
    String model,
    long input,
    long output,
    Long cachedInput,
    Long perImage,
    Long perAudioSecond,
    Long perMillionCharacters) {

  /** @throws IllegalArgumentException naming the field that is out of bounds */
  public ModelPrice {
    if (model == null || model.isBlank() || model.length() > 255) {
      throw new IllegalArgumentException("'model' must be 1 to 255 characters");
    }
    requireNotNegative("inputPrice", input);
    requireNotNegative("outputPrice", output);
    requireNotNegative("cachedInputPrice", cachedInput);
    requireNotNegative("imagePrice", perImage);
    requireNotNegative("audioSecondPrice", perAudioSecond);
    requireNotNegative("characterPrice", perMillionCharacters);
  }

  /**
   * A price from decimal cents, as people write them (config file, CLI, API): token prices per
   * million tokens; null for a unit the model is not sold by.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static ModelPrice ofCents(String model, String input, String output, String cachedInput, String image,
      String audioSecond, String character) {
    if (input == null || output == null) {
      throw new IllegalArgumentException("'inputPrice' and 'outputPrice' are required (cents per million tokens; 0 for free)");
    }
    return new ModelPrice(model, cents("inputPrice", input), cents("outputPrice", output),
        cents("cachedInputPrice", cachedInput), cents("imagePrice", image), cents("audioSecondPrice", audioSecond),
        cents("characterPrice", character));
  }

  private static Long cents(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Money.parseCents(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + field + "': " + e.getMessage(), e);
    }
  }

  /** A model sold by tokens only. */
  public static ModelPrice tokens(String model, long input, long output) {
    return new ModelPrice(model, input, output, null, null, null, null);
  }

  /** What a cached prompt token costs per million. */
  public long cachedInputOrInput() {
    return cachedInput == null ? input : cachedInput;
  }

  private static void requireNotNegative(String field, Long micros) {
    if (micros != null && micros < 0) {
      throw new IllegalArgumentException("'" + field + "' must be zero or more cents");
    }
  }
}

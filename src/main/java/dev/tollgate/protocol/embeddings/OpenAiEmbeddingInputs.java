package dev.tollgate.protocol.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * OpenAI's {@code input} in its four shapes: a string, an array of strings, one array of token
 * ids, an array of token arrays. The first item of an array decides which shape it is; an item of
 * another kind is a 400 naming its position, as OpenAI itself refuses mixed arrays.
 */
final class OpenAiEmbeddingInputs {

  /** OpenAI's cap on inputs per request; it counts inputs, not the ids of one token array. */
  static final int MAX_INPUTS = 2048;

  private static final String SHAPES =
      "a string, an array of strings, an array of token ids or an array of token arrays";

  private OpenAiEmbeddingInputs() {}

  static List<EmbeddingInput> decode(JsonNode input) {
    if (input == null) {
      throw EmbeddingFailures.invalid("input", "'input' is required: " + SHAPES);
    }
    if (input.isTextual()) {
      return List.of(text(input, "input"));
    }
    if (!input.isArray()) {
      throw EmbeddingFailures.invalid("input", "'input' must be " + SHAPES);
    }
    if (input.isEmpty()) {
      throw EmbeddingFailures.invalid("input", "'input' must not be an empty array");
    }
    JsonNode first = input.get(0);
    if (first.isIntegralNumber()) {
      return List.of(tokens(input, "input"));
    }
    if (input.size() > MAX_INPUTS) {
      throw EmbeddingFailures.invalid("input",
          "'input' holds " + input.size() + " items; at most " + MAX_INPUTS + " can be embedded in one request");
    }
    if (first.isTextual()) {
      return each(input, "a string, like input[0]", JsonNode::isTextual);
    }
    if (first.isArray()) {
      return each(input, "an array of token ids, like input[0]", JsonNode::isArray);
    }
    throw EmbeddingFailures.invalid("input[0]", "input[0] must be a string, a token id or an array of token ids, not " + EmbeddingJson.kind(first));
  }

  private static List<EmbeddingInput> each(JsonNode array, String expected, Predicate<JsonNode> isExpected) {
    List<EmbeddingInput> inputs = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode item = array.get(i);
      String path = "input[" + i + "]";
      if (!isExpected.test(item)) {
        throw EmbeddingFailures.invalid(path, path + " must be " + expected + ", not " + EmbeddingJson.kind(item)
            + " (one request cannot mix input kinds)");
      }
      inputs.add(item.isTextual() ? text(item, path) : tokens(item, path));
    }
    return inputs;
  }

  private static EmbeddingInput.Text text(JsonNode node, String path) {
    String text = node.textValue();
    if (text.isEmpty()) {
      throw EmbeddingFailures.invalid(path, "'" + path + "' must not be an empty string");
    }
    return new EmbeddingInput.Text(text);
  }

  private static EmbeddingInput.Tokens tokens(JsonNode array, String path) {
    if (array.isEmpty()) {
      throw EmbeddingFailures.invalid(path, "'" + path + "' must not be an empty token array");
    }
    int[] tokens = new int[array.size()];
    for (int i = 0; i < tokens.length; i++) {
      JsonNode token = array.get(i);
      if (!token.isIntegralNumber() || !token.canConvertToInt() || token.intValue() < 0) {
        String tokenPath = path + "[" + i + "]";
        throw EmbeddingFailures.invalid(tokenPath, tokenPath + " must be a token id (an integer of 0 or more), not "
            + EmbeddingJson.kind(token) + " (an array of token ids cannot hold anything else)");
      }
      tokens[i] = token.intValue();
    }
    return new EmbeddingInput.Tokens(tokens);
  }
}

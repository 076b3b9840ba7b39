package dev.tollgate.protocol.embeddings;

import java.util.Arrays;

/** One thing to embed: one input gives one vector, whatever the protocol. */
public sealed interface EmbeddingInput {

  record Text(String text) implements EmbeddingInput {}

  /**
   * Token ids of the upstream's tokenizer (OpenAI's {@code [1,2,3]} input form). Only an
   * OpenAI-format channel can take them: no other protocol has a way to send token ids.
   */
  record Tokens(int[] tokens) implements EmbeddingInput {

    public Tokens {
      tokens = tokens.clone();
    }

    /** A copy: the record stays immutable. Use {@link #length()} to count. */
    @Override
    public int[] tokens() {
      return tokens.clone();
    }

    public int length() {
      return tokens.length;
    }

    int token(int position) {
      return tokens[position];
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Tokens that && Arrays.equals(tokens, that.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
      return "Tokens" + Arrays.toString(tokens);
    }
  }
}

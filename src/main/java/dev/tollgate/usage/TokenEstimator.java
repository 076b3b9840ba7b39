package dev.tollgate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts for when an upstream reports none. Uses o200k_base, the tokenizer of current
 * OpenAI models; for other vendors' models it is an estimate, and records say so.
 *
 * <p>Loading the vocabulary takes about a second: it is done once per process, started in the
 * background when the first estimator is made, so that no request on an event loop pays for it.
 */
public final class TokenEstimator {

  /** Holds the encoding; class initialisation makes the load happen once, thread-safely. */
  private static final class Vocabulary {
    static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  public TokenEstimator() {
    Thread.ofVirtual().name("tokenizer-warm-up").start(() -> Vocabulary.O200K.countTokensOrdinary("warm up"));
  }

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : Vocabulary.O200K.countTokensOrdinary(text);
  }
}

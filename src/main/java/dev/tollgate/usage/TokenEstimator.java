package dev.tollgate.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Token counts for when an upstream reports none. Uses o200k_base, the tokenizer of current
 * OpenAI models; for other vendors' models it is an estimate, and records say so.
 */
public final class TokenEstimator {

  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  public int count(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }
}

package dev.tollgate.relay;

import dev.tollgate.usage.TokenEstimator;

/**
 * Counts the tokens of text a relay forwarded, for when the upstream reports no usage. Memory is
 * bounded: text is tokenised in windows and dropped.
 */
final class GeneratedText {

  private static final int WINDOW_CHARS = 16 * 1024;

  private final TokenEstimator estimator;
  private final StringBuilder window = new StringBuilder();
  private int counted;

  GeneratedText(TokenEstimator estimator) {
    this.estimator = estimator;
  }

  void add(String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    window.append(text);
    if (window.length() >= WINDOW_CHARS) {
      counted += estimator.count(window.toString());
      window.setLength(0);
    }
  }

  int tokens() {
    return counted + (window.isEmpty() ? 0 : estimator.count(window.toString()));
  }
}

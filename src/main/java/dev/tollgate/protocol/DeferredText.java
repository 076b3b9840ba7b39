package dev.tollgate.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Raw stream chunks kept for a token estimate that is usually never needed (most upstreams report
 * usage): they are parsed for their text only when the estimate is asked for, or when a bounded
 * window fills — so memory stays bounded and well-behaved streams are never parsed twice.
 */
public final class DeferredText {

  private static final int WINDOW_CHARS = 16 * 1024;

  private final Function<String, String> textOf;
  private final Passthrough.TokenCounter counter;
  private final List<String> chunks = new ArrayList<>();
  private int chars;
  private int counted;

  /** @param textOf the generated text of one raw chunk */
  public DeferredText(Function<String, String> textOf, Passthrough.TokenCounter counter) {
    this.textOf = textOf;
    this.counter = counter;
  }

  public void add(String chunk) {
    chunks.add(chunk);
    chars += chunk.length();
    if (chars >= WINDOW_CHARS) {
      counted += drain();
    }
  }

  /** Tokens of all the text added so far. */
  public int tokens() {
    counted += drain();
    return counted;
  }

  private int drain() {
    StringBuilder text = new StringBuilder();
    for (String chunk : chunks) {
      text.append(textOf.apply(chunk));
    }
    chunks.clear();
    chars = 0;
    return text.isEmpty() ? 0 : counter.count(text.toString());
  }
}

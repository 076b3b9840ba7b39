package dev.tollgate.usage;

/**
 * Who a request's cost is attributed to, from the caller's {@code x-workflow-tag}, {@code x-step},
 * {@code x-execution-id}, {@code x-source} and {@code x-project} headers. Each part is null when
 * its header was absent.
 */
public record Attribution(String workflowTag, String step, String executionId, String source, String project) {

  public static final Attribution NONE = new Attribution(null, null, null, null, null);
  /** Long enough for any id or tag people use (a UUID is 36), short enough to index and show. */
  public static final int MAX_LENGTH = 128;

  /**
   * Why {@code value} (stripped, not empty) cannot name a workflow, step, execution, source or
   * project, as the end of a sentence that starts with what it is; null when it can.
   */
  public static String problem(String value) {
    if (value.length() > MAX_LENGTH) {
      return " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return " may hold printable ASCII characters only (found U+" + String.format("%04X", (int) c) + " at position "
            + (i + 1) + ")";
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return workflowTag == null && step == null && executionId == null && source == null && project == null;
  }
}

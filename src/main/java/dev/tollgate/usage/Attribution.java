package dev.tollgate.usage;

/**
 * Who a request's cost is attributed to, from the caller's {@code x-workflow-tag}, {@code x-step},
 * {@code x-execution-id}, {@code x-source} and {@code x-project} headers. Each part is null when
 * its header was absent.
 */
public record Attribution(String workflowTag, String step, String executionId, String source, String project) {

  public static final Attribution NONE = new Attribution(null, null, null, null, null);

  public boolean isEmpty() {
    return workflowTag == null && step == null && executionId == null && source == null && project == null;
  }
}

package dev.tollgate.relay;

import dev.tollgate.protocol.GatewayError;
import dev.tollgate.usage.Attribution;
import io.vertx.core.MultiMap;

/**
 * Reads the cost-attribution headers of a request. They are the gateway's own: stored on the usage
 * record, never sent upstream (upstream headers are an allow-list, {@link UpstreamHeaders}).
 */
final class AttributionHeaders {

  static final String WORKFLOW_TAG = "x-workflow-tag";
  static final String STEP = "x-step";
  static final String EXECUTION_ID = "x-execution-id";
  static final String SOURCE = "x-source";
  static final String PROJECT = "x-project";
  /** Long enough for any id or tag people use (a UUID is 36), short enough to index and show. */
  static final int MAX_LENGTH = 128;

  private AttributionHeaders() {}

  /**
   * @throws GatewayError.Failure an INVALID_REQUEST naming the header whose value is too long or not
   *     printable ASCII
   */
  static Attribution read(MultiMap headers) {
    String workflow = value(headers, WORKFLOW_TAG);
    String step = value(headers, STEP);
    String execution = value(headers, EXECUTION_ID);
    String source = value(headers, SOURCE);
    String project = value(headers, PROJECT);
    if (workflow == null && step == null && execution == null && source == null && project == null) {
      return Attribution.NONE;
    }
    return new Attribution(workflow, step, execution, source, project);
  }

  private static String value(MultiMap headers, String name) {
    String raw = headers.get(name);
    if (raw == null) {
      return null;
    }
    String value = raw.strip();
    if (value.isEmpty()) {
      return null;
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid(name + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw invalid(name + " may hold printable ASCII characters only (found U+"
            + String.format("%04X", (int) c) + " at position " + (i + 1) + ")");
      }
    }
    return value;
  }

  private static GatewayError.Failure invalid(String message) {
    return new GatewayError.Failure(GatewayError.invalid(null, message));
  }
}

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
    String problem = Attribution.problem(value);
    if (problem != null) {
      throw invalid(name + problem);
    }
    return value;
  }

  private static GatewayError.Failure invalid(String message) {
    return new GatewayError.Failure(GatewayError.invalid(null, message));
  }
}

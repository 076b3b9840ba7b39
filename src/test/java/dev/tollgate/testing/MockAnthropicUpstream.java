package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A real local server answering like Anthropic's Messages API, deterministically, chosen by model:
 * {@code claude-text} ("Hello there!"), {@code claude-tools} (a get_weather call for Paris; after
 * a tool result, a text answer), {@code claude-thinking} (a signed thinking block, "Let me
 * think." + "Sunny.", then the text "It is sunny."), {@code claude-400} (invalid request), {@code claude-529}
 * (overloaded), {@code claude-cut} (a stream that stops mid-answer); count_tokens answers 42.
 * Whatever the model, a request that forces a tool ({@code tool_choice} of type {@code tool}, as
 * the gateway's structured-output emulation does) gets one call of that tool with the input
 * {@link #FORCED_INPUT} and no text, as Anthropic answers it.
 */
public final class MockAnthropicUpstream extends MockServer {

  /** The base URL a channel takes (the Anthropic SDK's form, without /v1). */
  public String baseUrl() {
    return origin();
  }

  @Override
  String authHeader() {
    return "x-api-key";
  }

  @Override
  void notJson(HttpServerResponse response) {
    error(response, 400, "invalid_request_error", "mock: body is not JSON");
  }

  @Override
  void route(HttpServerRequest request, JsonNode json) {
    if (request.path().equals("/v1/messages/count_tokens")) {
      request.response().putHeader("content-type", "application/json").end("{\"input_tokens\":42}");
    } else if (!request.path().equals("/v1/messages")) {
      error(request.response(), 404, "not_found_error", "mock: no route " + request.path());
    } else if (request.getHeader("anthropic-version") == null) {
      error(request.response(), 400, "invalid_request_error", "mock: anthropic-version header is required");
    } else if (!json.path("max_tokens").isInt()) {
      error(request.response(), 400, "invalid_request_error", "max_tokens: Field required");
    } else {
      answer(request.response(), json);
    }
  }

  /** The input of a forced tool's call. */
  public static final String FORCED_INPUT = "{\"city\":\"Paris\",\"temp_c\":18}";

  private void answer(HttpServerResponse response, JsonNode request) {
    String model = request.path("model").asText();
    boolean stream = request.path("stream").asBoolean(false);
    JsonNode choice = request.path("tool_choice");
    if ("tool".equals(choice.path("type").asText())) {
      toolUse(response, model, stream, null, "toolu_02", choice.path("name").asText(),
          List.of(FORCED_INPUT.substring(0, 12), FORCED_INPUT.substring(12, 25), FORCED_INPUT.substring(25)));
      return;
    }
    switch (model) {
      case "claude-400" -> error(response, 400, "invalid_request_error", "mock: messages: roles must alternate");
      case "claude-529" -> error(response, 529, "overloaded_error", "Overloaded");
      case "claude-tools" -> {
        if (lastUserHasToolResult(request)) {
          text(response, model, stream, List.of("It is 18", " °C in Paris."));
        } else {
          toolUse(response, model, stream, "Let me check.", "toolu_01", "get_weather",
              List.of("{\"ci", "ty\": \"Par", "is\"}"));
        }
      }
      case "claude-thinking" -> thinking(response, model, stream);
      case "claude-cut" -> {
        startStream(response);
        event(response, "message_start", messageStart(model));
        event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
        event(response, "content_block_delta", textDelta("Hel"));
        vertx.setTimer(50, id -> response.reset());
      }
      default -> text(response, model, stream, List.of("Hello", " there", "!"));
    }
  }

  private static boolean lastUserHasToolResult(JsonNode request) {
    JsonNode messages = request.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    for (JsonNode block : last.path("content")) {
      if ("tool_result".equals(block.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  static final String USAGE = "{\"input_tokens\":7,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,\"output_tokens\":3}";

  private void text(HttpServerResponse response, String model, boolean stream, List<String> parts) {
    if (!stream) {
      response.putHeader("content-type", "application/json").end(
          "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":"
              + quote(String.join("", parts)) + "}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" + USAGE + "}");
      return;
    }
    startStream(response);
    event(response, "message_start", messageStart(model));
    event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(response, "ping", "{\"type\":\"ping\"}");
    for (String part : parts) {
      event(response, "content_block_delta", textDelta(part));
    }
    event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(response, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}");
    event(response, "message_stop", "{\"type\":\"message_stop\"}");
    response.end();
  }

  private void thinking(HttpServerResponse response, String model, boolean stream) {
    if (!stream) {
      response.putHeader("content-type", "application/json").end(
          "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":["
              + "{\"type\":\"thinking\",\"thinking\":\"Let me think. Sunny.\",\"signature\":\"EqQBmock\"},"
              + "{\"type\":\"text\",\"text\":\"It is sunny.\"}],"
              + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" + USAGE + "}");
      return;
    }
    startStream(response);
    event(response, "message_start", messageStart(model));
    event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
    for (String piece : List.of("Let me think.", " Sunny.")) {
      event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":" + quote(piece) + "}}");
    }
    event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBmock\"}}");
    event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"It is sunny.\"}}");
    event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    event(response, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}");
    event(response, "message_stop", "{\"type\":\"message_stop\"}");
    response.end();
  }

  /** A call of {@code name} whose input arrives in {@code inputPieces}, after {@code leadText} if any. */
  private void toolUse(
      HttpServerResponse response, String model, boolean stream, String leadText, String id, String name,
      List<String> inputPieces) {
    String input = String.join("", inputPieces);
    String toolBlock = "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":" + quote(name);
    if (!stream) {
      response.putHeader("content-type", "application/json").end(
          "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":["
              + (leadText == null ? "" : "{\"type\":\"text\",\"text\":" + quote(leadText) + "},")
              + toolBlock + ",\"input\":" + input + "}],"
              + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":" + USAGE + "}");
      return;
    }
    startStream(response);
    event(response, "message_start", messageStart(model));
    int index = 0;
    if (leadText != null) {
      event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      event(response, "content_block_delta", textDelta(leadText));
      event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      index = 1;
    }
    event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":"
        + toolBlock + ",\"input\":{}}}");
    for (String piece : inputPieces) {
      event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
          + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + quote(piece) + "}}");
    }
    event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    event(response, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}");
    event(response, "message_stop", "{\"type\":\"message_stop\"}");
    response.end();
  }

  private static String messageStart(String model) {
    return "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":7,"
        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}";
  }

  private static String textDelta(String text) {
    return "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + quote(text) + "}}";
  }

  private static void startStream(HttpServerResponse response) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
  }

  private static void event(HttpServerResponse response, String name, String data) {
    response.write(Buffer.buffer("event: " + name + "\ndata: " + data + "\n\n"));
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    response.setStatusCode(status).putHeader("content-type", "application/json")
        .end("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + quote(message) + "}}");
  }
}

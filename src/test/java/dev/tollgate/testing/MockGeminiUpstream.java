package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * A real local server answering like the Gemini API (v1beta), chosen by the model in the path:
 * {@code gemini-text} ("Hello there!"), {@code gemini-tools} (a get_weather functionCall; after a
 * functionResponse, a text answer), {@code gemini-3-tools} (the same, but like Gemini 3 the call
 * carries {@link #THOUGHT_SIGNATURE} and a follow-up whose call lacks it is refused with 400),
 * {@code gemini-thinking} ("Sunny." with 5 thought tokens, and the thought part "Let me think."
 * only when the request asked {@code includeThoughts}, as Gemini does), {@code gemini-400}
 * (INVALID_ARGUMENT).
 */
public final class MockGeminiUpstream extends MockServer {

  /** The signature {@code gemini-3-tools} issues with its call and wants back. */
  public static final String THOUGHT_SIGNATURE = "c2lnLWdlbWluaS0z";

  public String baseUrl() {
    return origin();
  }

  /** The query string of the last request (the gateway must never put the key there). */
  private volatile String lastQuery;

  public String lastQuery() {
    return lastQuery;
  }

  @Override
  String authHeader() {
    return "x-goog-api-key";
  }

  @Override
  void notJson(HttpServerResponse response) {
    error(response, 400, "INVALID_ARGUMENT", "mock: body is not JSON");
  }

  @Override
  void route(HttpServerRequest request, JsonNode json) {
    lastQuery = request.query();
    String path = request.path();
    int colon = path.lastIndexOf(':');
    if (!path.startsWith("/v1beta/models/") || colon < 0) {
      error(request.response(), 404, "NOT_FOUND", "mock: no route " + path);
      return;
    }
    String model = path.substring("/v1beta/models/".length(), colon);
    String action = path.substring(colon + 1);
    if (action.equals("batchEmbedContents")) {
      MockEmbeddings.geminiBatch(request.response(), model, json);
      return;
    }
    boolean stream = action.equals("streamGenerateContent");
    if (stream && !"sse".equals(request.getParam("alt"))) {
      error(request.response(), 400, "INVALID_ARGUMENT", "mock: the gateway must stream with alt=sse");
      return;
    }
    answer(request.response(), model, stream, json);
  }

  private void answer(HttpServerResponse response, String model, boolean stream, JsonNode request) {
    switch (model) {
      case "gemini-400" -> error(response, 400, "INVALID_ARGUMENT", "mock: contents must not be empty");
      case "gemini-tools", "gemini-3-tools" -> {
        boolean signed = model.equals("gemini-3-tools");
        if (lastTurnHasFunctionResponse(request)) {
          if (signed && !callsCarrySignature(request)) {
            error(response, 400, "INVALID_ARGUMENT",
                "Function call is missing a thought_signature in functionCall parts. (mock of Gemini 3)");
            return;
          }
          text(response, model, stream, List.of("It is 18", " °C in Paris."));
        } else {
          String call = "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}"
              + (signed ? ",\"thoughtSignature\":\"" + THOUGHT_SIGNATURE + "\"" : "") + "}";
          String chunk = candidate(model, call, "STOP", true);
          if (stream) {
            startStream(response);
            response.end(Buffer.buffer("data: " + chunk + "\r\n\r\n"));
          } else {
            response.putHeader("content-type", "application/json").end(chunk);
          }
        }
      }
      case "gemini-thinking" -> {
        boolean thoughts = request.path("generationConfig").path("thinkingConfig").path("includeThoughts").asBoolean(false);
        String parts = (thoughts ? "{\"text\":\"Let me think.\",\"thought\":true}," : "") + "{\"text\":\"Sunny.\"}";
        String usage = "{\"promptTokenCount\":11,\"candidatesTokenCount\":3,\"thoughtsTokenCount\":5,\"totalTokenCount\":19}";
        String chunk = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + parts + "]},\"finishReason\":\"STOP\","
            + "\"index\":0}],\"usageMetadata\":" + usage + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"resp-mock\"}";
        if (stream) {
          startStream(response);
          response.end(Buffer.buffer("data: " + chunk + "\r\n\r\n"));
        } else {
          response.putHeader("content-type", "application/json").end(chunk);
        }
      }
      default -> text(response, model, stream, List.of("Hello", " there", "!"));
    }
  }

  /** Gemini 3: every functionCall part of the latest model turn must carry its signature. */
  private static boolean callsCarrySignature(JsonNode request) {
    JsonNode contents = request.path("contents");
    for (int i = contents.size() - 1; i >= 0; i--) {
      if ("model".equals(contents.get(i).path("role").asText())) {
        for (JsonNode part : contents.get(i).path("parts")) {
          if (part.has("functionCall") && !THOUGHT_SIGNATURE.equals(part.path("thoughtSignature").asText())) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static boolean lastTurnHasFunctionResponse(JsonNode request) {
    JsonNode contents = request.path("contents");
    return contents.get(contents.size() - 1).toString().contains("\"functionResponse\"");
  }

  private void text(HttpServerResponse response, String model, boolean stream, List<String> parts) {
    if (!stream) {
      response.putHeader("content-type", "application/json")
          .end(candidate(model, "{\"text\":" + quote(String.join("", parts)) + "}", "STOP", true));
      return;
    }
    startStream(response);
    for (int i = 0; i < parts.size(); i++) {
      boolean lastOne = i == parts.size() - 1;
      response.write(Buffer.buffer("data: " + candidate(model, "{\"text\":" + quote(parts.get(i)) + "}",
          lastOne ? "STOP" : null, lastOne) + "\r\n\r\n"));
    }
    response.end();
  }

  private static String candidate(String model, String part, String finishReason, boolean fullUsage) {
    String usage = fullUsage
        ? "{\"promptTokenCount\":11,\"candidatesTokenCount\":3,\"totalTokenCount\":14,\"cachedContentTokenCount\":4}"
        : "{\"promptTokenCount\":11,\"totalTokenCount\":11}";
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + part + "]},"
        + (finishReason == null ? "" : "\"finishReason\":\"" + finishReason + "\",")
        + "\"index\":0}],\"usageMetadata\":" + usage + ",\"modelVersion\":\"" + model + "\",\"responseId\":\"resp-mock\"}";
  }

  private static void startStream(HttpServerResponse response) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
  }

  private static void error(HttpServerResponse response, int status, String code, String message) {
    response.setStatusCode(status).putHeader("content-type", "application/json")
        .end("{\"error\":{\"code\":" + status + ",\"message\":" + quote(message) + ",\"status\":\"" + code + "\"}}");
  }
}

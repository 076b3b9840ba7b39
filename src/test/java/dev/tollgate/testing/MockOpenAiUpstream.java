package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server that answers like an OpenAI upstream, deterministically. The
 * scenario is chosen by the model name the gateway sends:
 *
 * <ul>
 *   <li>{@code mock-text}: "Hello there!" (streamed as "Hello", " there", "!")
 *   <li>{@code mock-tools}: a get_weather call for Paris; after a tool result, a text answer
 *   <li>{@code mock-slow}: a stream whose last chunk waits for {@link #releaseSlow()}
 *   <li>{@code mock-nousage}: an answer (streamed or not) that never reports usage
 *   <li>{@code mock-500}, {@code mock-400}, {@code mock-hang}, {@code mock-garbage}: faults before any byte
 *   <li>{@code mock-cut}: a stream cut after two chunks (connection reset)
 *   <li>{@code mock-stall}: a stream that goes silent after one chunk
 *   <li>{@code mock-endless}: a stream that emits a chunk every 20 ms until the connection closes
 *   <li>{@code mock-pause}: "Hello" streamed as "Hel", a silence of {@link #PAUSE_MS}, then "lo"
 *   <li>{@code mock-comments}: "Hello" streamed as "Hel", {@link #COMMENTS_MS} of {@code : ping}
 *       comments only (every 300 ms), then "lo"
 *   <li>{@code mock-fragmented}: {@link #FRAGMENTED_STREAM} in 7-byte writes, cut mid-line and
 *       mid-character, with CRLF line endings and a comment
 * </ul>
 *
 * <p>{@link #inject} makes this upstream fail, whatever the model, a share of the time: one mock
 * per channel then gives each channel its own faults.
 *
 * <p>Azure OpenAI's deployment paths ({@code /openai/deployments/NAME/chat/completions}) answer the same way.
 */
public final class MockOpenAiUpstream extends MockServer {

  /** How long {@code mock-pause} goes silent mid-stream. */
  public static final long PAUSE_MS = 1_600;
  /** How long {@code mock-comments} sends only comments mid-stream. */
  public static final long COMMENTS_MS = 2_300;

  /** What {@link #inject} can make the upstream do instead of answering. */
  public enum Fault {
    /** 500 with OpenAI's server_error body. */
    STATUS_500,
    /** 429 rate_limit_exceeded with {@code retry-after: 1}. */
    STATUS_429,
    /** 429 insufficient_quota: the account has no balance. */
    NO_QUOTA,
    /** 401 invalid_api_key, with the masked key OpenAI puts in its message. */
    INVALID_KEY,
    /** Never answers. */
    HANG,
    /** Answers after {@link #SLOW_HEAD_MS}. */
    SLOW_HEAD,
    /** Streams: two chunks, then a connection reset; other answers: a reset before any byte. */
    CUT
  }

  public static final long SLOW_HEAD_MS = 400;

  private final AtomicInteger closedEarly = new AtomicInteger();
  private final java.util.Random faultDice = new java.util.Random(42);
  private volatile Fault fault;
  private volatile double faultShare;
  private volatile CountDownLatch slowGate = new CountDownLatch(1);
  private volatile CountDownLatch endlessClosed = new CountDownLatch(1);

  private static final java.util.regex.Pattern AZURE_DEPLOYMENT =
      java.util.regex.Pattern.compile("/openai/deployments/[^/]+/chat/completions");

  /**
   * A request as the upstream received it; {@code headers} has lower-case names, {@code query}
   * is the raw query string or null.
   */
  public record Received(
      String path, String authorization, JsonNode body, byte[] rawBody, Map<String, String> headers, String query) {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return origin() + "/v1";
  }

  public List<Received> received() {
    return received;
  }

  /** From now on, a {@code share} (0 to 1) of the requests meets the fault instead of an answer; seeded. */
  public MockOpenAiUpstream inject(Fault fault, double share) {
    this.faultShare = share;
    this.fault = fault;
    return this;
  }

  /** Answers every request again. */
  public MockOpenAiUpstream heal() {
    this.fault = null;
    return this;
  }

  /** Requests received on the chat endpoint so far. */
  public int chatRequests() {
    return (int) received.stream().filter(r -> r.path().equals("/v1/chat/completions")).count();
  }

  /** Lets the held-back last chunk of {@code mock-slow} go. */
  public void releaseSlow() {
    slowGate.countDown();
  }

  /** Makes {@code mock-slow} streams that start from now on wait again for {@link #releaseSlow()}. */
  public void holdSlow() {
    slowGate = new CountDownLatch(1);
  }

  /** Waits until the gateway closed an {@code mock-endless} stream (it cancelled the call). */
  public boolean awaitEndlessClosed(long millis) throws InterruptedException {
    return endlessClosed.await(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  String authHeader() {
    return "Authorization";
  }

  @Override
  void notJson(HttpServerResponse response) {
    response.setStatusCode(400).end("{\"error\":{\"message\":\"mock: bad json\"}}");
  }

  @Override
  void routeUpload(HttpServerRequest request, byte[] body) {
    if (request.path().endsWith("/audio/transcriptions") || request.path().endsWith("/audio/translations")) {
      MockMedia.transcription(request.response(), body);
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  /** The resource endpoint an {@code azure-openai} channel takes: deployments answer under it. */
  public String azureEndpoint() {
    return origin();
  }

  @Override
  void route(HttpServerRequest request, JsonNode json) {
    if (request.path().equals("/v1/embeddings") || request.path().endsWith("/embeddings")) {
      MockEmbeddings.openAi(request.response(), json);
      return;
    }
    if (request.path().endsWith("/images/generations")) {
      MockMedia.images(request.response(), json);
      return;
    }
    if (request.path().endsWith("/audio/speech")) {
      MockMedia.speech(vertx, request.response(), json);
      return;
    }
    if (!request.path().equals("/v1/chat/completions") && !AZURE_DEPLOYMENT.matcher(request.path()).matches()) {
      request.response().setStatusCode(404).end();
      return;
    }
    Fault now = fault;
    boolean faulty;
    synchronized (faultDice) {
      faulty = now != null && faultDice.nextDouble() < faultShare;
    }
    if (faulty) {
      fail(request.response(), now, json);
    } else {
      answer(request.response(), json);
    }
  }

  private void fail(HttpServerResponse response, Fault fault, JsonNode request) {
    String model = request.path("model").asText();
    switch (fault) {
      case STATUS_500 -> response.setStatusCode(500).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"mock upstream exploded\",\"type\":\"server_error\"}}");
      case STATUS_429 -> response.setStatusCode(429).putHeader("content-type", "application/json")
          .putHeader("retry-after", "1")
          .end("{\"error\":{\"message\":\"mock: rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
      case NO_QUOTA -> response.setStatusCode(429).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and billing details.\","
              + "\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}");
      case INVALID_KEY -> response.setStatusCode(401).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"Incorrect API key provided: sk-upstr**********cret. You can find your API key at "
              + "https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"param\":null,"
              + "\"code\":\"invalid_api_key\"}}");
      case HANG -> { /* never answers */ }
      case SLOW_HEAD -> vertx.setTimer(SLOW_HEAD_MS, id -> answer(response, request));
      case CUT -> {
        if (request.path("stream").asBoolean(false)) {
          cut(response, model);
        } else {
          response.reset();
        }
      }
    }
  }

  private void answer(HttpServerResponse response, JsonNode request) {
    String model = request.path("model").asText();
    boolean stream = request.path("stream").asBoolean(false);
    boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
    switch (model) {
      case "mock-500" -> response.setStatusCode(500).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"mock upstream exploded\",\"type\":\"server_error\"}}");
      case "mock-400" -> response.setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"mock: temperature out of range\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}");
      case "mock-hang" -> { /* never answers */ }
      case "mock-429" -> response.setStatusCode(429).putHeader("content-type", "application/json")
          .putHeader("retry-after", "7").putHeader("x-ratelimit-remaining-requests", "0")
          .end("{\"error\":{\"message\":\"mock: rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
      case "mock-garbage" -> response.putHeader("content-type", "text/html").end("<html>upstream proxy error</html>");
      case "mock-tools" -> {
        if (lastRole(request).equals("tool")) {
          text(response, model, stream, includeUsage, List.of("It is 18", " °C in Paris."));
        } else {
          toolCall(response, model, stream, includeUsage);
        }
      }
      case "mock-slow" -> slow(response, model, includeUsage);
      case "mock-nousage" -> text(response, model, stream, false, List.of("Hello", " there", "!"));
      case "mock-cut" -> cut(response, model);
      case "mock-stall" -> {
        startStream(response);
        response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
      }
      case "mock-endless" -> endless(response, model);
      case "mock-pause", "mock-comments" -> pause(response, model, includeUsage, model.equals("mock-comments"));
      case "mock-fragmented" -> fragmented(response, model);
      default -> text(response, model, stream, includeUsage, List.of("Hello", " there", "!"));
    }
  }

  private static String lastRole(JsonNode request) {
    JsonNode messages = request.path("messages");
    return messages.size() == 0 ? "" : messages.get(messages.size() - 1).path("role").asText();
  }

  static final String USAGE = "{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";

  private void text(HttpServerResponse response, String model, boolean stream, boolean includeUsage, List<String> parts) {
    if (!stream) {
      String content = String.join("", parts);
      response.putHeader("content-type", "application/json").end(
          "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1730000000,\"model\":\"" + model
              + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(content)
              + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
              + (model.equals("mock-nousage") ? "" : ",\"usage\":" + USAGE)
              + ",\"system_fingerprint\":\"fp_mock\",\"x_unknown_field\":{\"kept\":1.0}}");
      return;
    }
    startStream(response);
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
    for (String part : parts) {
      response.write(chunk(model, "{\"content\":" + quote(part) + "}", null));
    }
    response.write(chunk(model, "{}", "stop"));
    if (includeUsage) {
      response.write(usageChunk(model));
    }
    response.end("data: [DONE]\n\n");
  }

  private void toolCall(HttpServerResponse response, String model, boolean stream, boolean includeUsage) {
    if (!stream) {
      response.putHeader("content-type", "application/json").end(
          "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1730000000,\"model\":\"" + model
              + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null,"
              + "\"tool_calls\":[{\"id\":\"call_a1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
              + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],"
              + "\"usage\":" + USAGE + "}");
      return;
    }
    startStream(response);
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null));
    for (String piece : List.of("{\\\"ci", "ty\\\":", "\\\"Paris\\\"}")) {
      response.write(chunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + piece + "\"}}]}", null));
    }
    response.write(chunk(model, "{}", "tool_calls"));
    if (includeUsage) {
      response.write(usageChunk(model));
    }
    response.end("data: [DONE]\n\n");
  }

  private void slow(HttpServerResponse response, String model, boolean includeUsage) {
    startStream(response);
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"first\"}", null));
    CountDownLatch gate = slowGate;
    vertx.executeBlocking(() -> gate.await(10, TimeUnit.SECONDS)).onComplete(done -> {
      response.write(chunk(model, "{\"content\":\" last\"}", "stop"));
      if (includeUsage) {
        response.write(usageChunk(model));
      }
      response.end("data: [DONE]\n\n");
    });
  }

  private void pause(HttpServerResponse response, String model, boolean includeUsage, boolean comments) {
    startStream(response);
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
    long pinger = comments ? vertx.setPeriodic(300, id -> response.write(Buffer.buffer(": ping\n\n"))) : -1;
    vertx.setTimer(comments ? COMMENTS_MS : PAUSE_MS, id -> {
      vertx.cancelTimer(pinger);
      response.write(chunk(model, "{\"content\":\"lo\"}", null));
      response.write(chunk(model, "{}", "stop"));
      if (includeUsage) {
        response.write(usageChunk(model));
      }
      response.end("data: [DONE]\n\n");
    });
  }

  private void cut(HttpServerResponse response, String model) {
    startStream(response);
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
    response.write(chunk(model, "{\"content\":\"lo\"}", null));
    vertx.setTimer(50, id -> response.reset());
  }

  private void endless(HttpServerResponse response, String model) {
    startStream(response);
    CountDownLatch closed = endlessClosed;
    long timer = vertx.setPeriodic(20, id -> {
      if (!response.closed()) {
        response.write(chunk(model, "{\"content\":\"tick \"}", null));
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      closedEarly.incrementAndGet();
      closed.countDown();
    });
  }

  /** The exact bytes {@code mock-fragmented} sends, usage chunk included. */
  public static final String FRAGMENTED_STREAM =
      ": keepalive\r\n\r\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Grüße \"},\"finish_reason\":null}]}\r\n\r\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"aus 東京 🌍\"},\"finish_reason\":null}]}\r\n\r\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":" + USAGE + "}\r\n\r\n"
          + "data: [DONE]\r\n\r\n";

  private void fragmented(HttpServerResponse response, String model) {
    startStream(response);
    byte[] bytes = FRAGMENTED_STREAM.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    writePieces(response, bytes, 0);
  }

  private void writePieces(HttpServerResponse response, byte[] bytes, int from) {
    if (from >= bytes.length) {
      response.end();
      return;
    }
    int to = Math.min(bytes.length, from + 7);
    response.write(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, to)));
    vertx.setTimer(2, id -> writePieces(response, bytes, to));
  }

  private static void startStream(HttpServerResponse response) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
  }

  private static Buffer chunk(String model, String delta, String finish) {
    return Buffer.buffer("data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\""
        + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n");
  }

  private static Buffer usageChunk(String model) {
    return Buffer.buffer("data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\""
        + model + "\",\"choices\":[],\"usage\":" + USAGE + "}\n\n");
  }

  @Override
  public void close() {
    slowGate.countDown();
    super.close();
  }
}

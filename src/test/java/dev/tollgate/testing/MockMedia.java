package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the OpenAI mock answers the media endpoints. Images: {@code n} of them, as URLs or base64
 * ({@code gpt-image-1} adds token usage; {@code image-400} refuses). Speech: {@link #speech} bytes,
 * in {@link #SPEECH_CHUNKS} chunks 20 ms apart. Transcriptions: "hello world" in the format asked,
 * {@code whisper-usage} reporting its seconds in {@code usage}.
 */
public final class MockMedia {

  private static final ObjectMapper JSON = new ObjectMapper();
  public static final int SPEECH_CHUNKS = 4;
  public static final int SPEECH_CHUNK_BYTES = 48 * 1024;
  /** The duration verbose_json reports, and usage.seconds for whisper-usage. */
  public static final double TRANSCRIPT_SECONDS = 2.5;

  private MockMedia() {}

  /** The image bytes behind b64_json entry {@code i}. */
  public static byte[] image(int i) {
    return ("png-bytes-" + i).getBytes(StandardCharsets.US_ASCII);
  }

  static void images(HttpServerResponse response, JsonNode request) {
    String model = request.path("model").asText("dall-e-2");
    if (model.equals("image-400")) {
      response.setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"mock: prompt refused by the safety system\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    int n = request.path("n").asInt(1);
    boolean b64 = request.path("response_format").asText("url").equals("b64_json");
    ObjectNode answer = JSON.createObjectNode().put("created", 1_700_000_000L);
    ArrayNode data = answer.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode item = data.addObject();
      if (b64) {
        item.put("b64_json", Base64.getEncoder().encodeToString(image(i)));
      } else {
        item.put("url", "https://images.example/" + i + ".png");
      }
      item.put("revised_prompt", request.path("prompt").asText());
    }
    if (model.equals("gpt-image-1")) {
      answer.putObject("usage").put("input_tokens", 12).put("output_tokens", 4160).put("total_tokens", 4172);
    }
    response.putHeader("content-type", "application/json").end(answer.toString());
  }

  /** The audio the mock "speaks" for an input: deterministic bytes, different per input. */
  public static byte[] speech(String input) {
    byte[] bytes = new byte[SPEECH_CHUNKS * SPEECH_CHUNK_BYTES];
    int seed = input.hashCode();
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
    }
    return bytes;
  }

  private static volatile java.util.concurrent.CountDownLatch heldSpeech = new java.util.concurrent.CountDownLatch(1);

  /** Lets {@code tts-held} send the rest of its audio; the next one waits again. */
  public static void releaseHeldSpeech() {
    java.util.concurrent.CountDownLatch held = heldSpeech;
    heldSpeech = new java.util.concurrent.CountDownLatch(1);
    held.countDown();
  }

  static void speech(Vertx vertx, HttpServerResponse response, JsonNode request) {
    String format = request.path("response_format").asText("mp3");
    byte[] audio = speech(request.path("input").asText());
    response.putHeader("content-type", format.equals("wav") ? "audio/wav" : "audio/mpeg").setChunked(true);
    // tts-held sends its first chunk, then waits for the test before the rest.
    sendChunk(vertx, response, audio, 0, request.path("model").asText().equals("tts-held") ? heldSpeech : null);
  }

  private static void sendChunk(
      Vertx vertx, HttpServerResponse response, byte[] audio, int index, java.util.concurrent.CountDownLatch hold) {
    if (response.closed()) {
      return;
    }
    response.write(Buffer.buffer().appendBytes(audio, index * SPEECH_CHUNK_BYTES, SPEECH_CHUNK_BYTES));
    if (index + 1 == SPEECH_CHUNKS) {
      response.end();
    } else if (hold != null && index == 0) {
      vertx.executeBlocking(() -> hold.await(10, java.util.concurrent.TimeUnit.SECONDS))
          .onComplete(done -> sendChunk(vertx, response, audio, index + 1, hold));
    } else {
      vertx.setTimer(20, id -> sendChunk(vertx, response, audio, index + 1, hold));
    }
  }

  /** A transcription or translation: the form's fields are read roughly, as a test double may. */
  static void transcription(HttpServerResponse response, byte[] body) {
    String form = new String(body, StandardCharsets.ISO_8859_1);
    String model = field(form, "model");
    String format = field(form, "response_format");
    if (model == null || !form.contains("name=\"file\"")) {
      response.setStatusCode(400).putHeader("content-type", "application/json")
          .end("{\"error\":{\"message\":\"mock: model and file are required\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    String text = "hello world";
    switch (format == null ? "json" : format) {
      case "text" -> response.putHeader("content-type", "text/plain; charset=utf-8").end(text + "\n");
      case "srt" -> response.putHeader("content-type", "text/plain; charset=utf-8")
          .end("1\n00:00:00,000 --> 00:00:02,500\n" + text + "\n\n");
      case "vtt" -> response.putHeader("content-type", "text/plain; charset=utf-8")
          .end("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n" + text + "\n\n");
      case "verbose_json" -> response.putHeader("content-type", "application/json")
          .end("{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":" + TRANSCRIPT_SECONDS + ",\"text\":\"" + text
              + "\",\"segments\":[{\"id\":0,\"start\":0.0,\"end\":2.5,\"text\":\"" + text + "\"}]}");
      default -> response.putHeader("content-type", "application/json").end(model.equals("whisper-usage")
          ? "{\"text\":\"" + text + "\",\"usage\":{\"type\":\"duration\",\"seconds\":" + (int) Math.ceil(TRANSCRIPT_SECONDS) + "}}"
          : "{\"text\":\"" + text + "\"}");
    }
  }

  private static String field(String form, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n").matcher(form);
    return m.find() ? m.group(1) : null;
  }
}

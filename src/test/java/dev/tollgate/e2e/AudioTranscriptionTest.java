package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.translations.TranslationCreateParams;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.MockMedia;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcriptions and translations with the openai-java SDK: the multipart form passed on with the
 * file intact and the model renamed, every response format back as the upstream sent it, billed
 * per second (the upstream's count, else the file's, else an estimate marked as such), and
 * uploads over the limit refused with 413 before they are read.
 */
@UsesDatabase
class AudioTranscriptionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final int UPLOAD_LIMIT = 256 * 1024;

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static TestGateway gateway;
  static ManagementClient api;
  static Path wav;
  static byte[] wavBytes;

  @BeforeAll
  static void start() throws IOException {
    openAi = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, c -> c.withServer(c.server().withUploadLimitBytes(UPLOAD_LIMIT)));
    api = gateway.api();
    gateway.addChannel(openAi.baseUrl(), List.of("whisper-1", "whisper-usage", "whisper-mapped"),
        Map.of("whisper-mapped", "whisper-1"));
    for (String model : List.of("whisper-1", "whisper-usage", "whisper-mapped")) {
      assertThat(api.call("PUT", "/api/model/" + model, "{\"inputPrice\":0,\"outputPrice\":0,\"audioSecondPrice\":\"0.01\"}",
          TestGateway.ADMIN_TOKEN).status()).isIn(200, 201);
    }
    wavBytes = wav(16_000, 1.5);
    wav = dataDir.resolve("hello.wav");
    Files.write(wav, wavBytes);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
  }

  /** A mono 16-bit PCM WAV file of {@code seconds}. */
  private static byte[] wav(int sampleRate, double seconds) {
    int dataBytes = (int) (sampleRate * seconds) * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (int i = 0; i < dataBytes / 2; i++) {
      wav.putShort((short) (Math.sin(i / 8.0) * 8000));
    }
    return wav.array();
  }

  private static OpenAIClient client() {
    String key = api.member("listener" + NAMES.incrementAndGet(), 100, "k", TestGateway.ADMIN_TOKEN).key();
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static TranscriptionCreateParams.Builder transcribe(String model, AudioResponseFormat format) {
    return TranscriptionCreateParams.builder().file(wav).model(model).responseFormat(format);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void jsonTranscriptIsBilledByTheFilesOwnLengthAndTheFileArrivesIntact() {
    var raw = client().audio().transcriptions().withRawResponse()
        .create(transcribe("whisper-mapped", AudioResponseFormat.JSON).language("en").build());
    TranscriptionCreateResponse response = raw.parse();

    assertThat(response.asTranscription().text()).isEqualTo("hello world");
    MockOpenAiUpstream.Received sent = openAi.last();
    assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(sent.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
    String form = new String(sent.rawBody(), StandardCharsets.ISO_8859_1);
    assertThat(form).contains("\r\n\r\nwhisper-1\r\n").doesNotContain("whisper-mapped").contains("\r\n\r\nen\r\n");
    assertThat(contains(sent.rawBody(), wavBytes)).as("the file, byte for byte").isTrue();

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.units()).isEqualTo(new UsageRecord.Units("second", new BigDecimal("1.5"), false, 10_000L));
    assertThat(record.cost()).as("1.5 s at 0.01 cents").isEqualTo(15_000L);
    assertThat(record.modelUsed()).isEqualTo("whisper-1");
  }

  @Test
  void verboseJsonsDurationIsWhatIsBilled() {
    var raw = client().audio().transcriptions().withRawResponse()
        .create(transcribe("whisper-1", AudioResponseFormat.VERBOSE_JSON).build());

    assertThat(raw.parse().asVerbose().duration()).isEqualTo(MockMedia.TRANSCRIPT_SECONDS);
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.units().quantity()).isEqualByComparingTo("2.5");
    assertThat(record.cost()).isEqualTo(25_000L);
  }

  @Test
  void theUpstreamsUsageSecondsWinOverTheFile() {
    var raw = client().audio().transcriptions().withRawResponse()
        .create(transcribe("whisper-usage", AudioResponseFormat.JSON).build());

    raw.parse();
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.units().quantity()).isEqualByComparingTo("3");
    assertThat(record.units().estimated()).isFalse();
  }

  @Test
  void textSrtAndVttComeBackAsTheUpstreamWroteThem() throws Exception {
    OpenAIClient client = client();
    Map<AudioResponseFormat, String> expected = Map.of(
        AudioResponseFormat.TEXT, "hello world\n",
        AudioResponseFormat.SRT, "1\n00:00:00,000 --> 00:00:02,500\nhello world\n\n",
        AudioResponseFormat.VTT, "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nhello world\n\n");
    for (var format : expected.entrySet()) {
      try (var raw = client.audio().transcriptions().withRawResponse().create(transcribe("whisper-1", format.getKey()).build());
          InputStream body = raw.body()) {
        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).as(format.getKey().toString())
            .isEqualTo(format.getValue());
        assertThat(raw.headers().values("content-type")).containsExactly("text/plain; charset=utf-8");
        UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
        assertThat(record.units().quantity()).as("from the WAV header").isEqualByComparingTo("1.5");
      }
    }
  }

  @Test
  void aFileOfUnknownFormatIsBilledByAnEstimateMarkedAsSuch() throws Exception {
    byte[] noise = new byte[32_000];
    new Random(7).nextBytes(noise);
    var raw = client().audio().transcriptions().withRawResponse().create(TranscriptionCreateParams.builder()
        .file(noise).model("whisper-1").responseFormat(AudioResponseFormat.TEXT).build());

    raw.close();
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.units().estimated()).isTrue();
    assertThat(record.units().quantity()).as("32,000 bytes at 16,000 a second").isEqualByComparingTo("2");
  }

  @Test
  void translationsTakeTheSamePath() {
    var raw = client().audio().translations().withRawResponse().create(TranslationCreateParams.builder()
        .file(wav).model("whisper-1").build());

    assertThat(raw.parse().asTranslation().text()).isEqualTo("hello world");
    assertThat(openAi.last().path()).isEqualTo("/v1/audio/translations");
  }

  @Test
  void aMissingFileOrModelIsAnOpenAi400NamingIt() throws Exception {
    String key = api.member("bad" + NAMES.incrementAndGet(), 100, "k", TestGateway.ADMIN_TOKEN).key();
    String boundary = "b0undary";
    String noFile = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--" + boundary + "--\r\n";
    String noModel = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
        + "Content-Type: audio/wav\r\n\r\nRIFF\r\n--" + boundary + "--\r\n";
    int before = openAi.receivedCount();

    for (var body : Map.of("file", noFile, "model", noModel).entrySet()) {
      var response = Http.post(gateway.baseUrl() + "/v1/audio/transcriptions", key,
          "multipart/form-data; boundary=" + boundary, body.getValue());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("error").path("param").asText()).isEqualTo(body.getKey());
    }
    var json = Http.postJson(gateway.baseUrl() + "/v1/audio/transcriptions", key, "{\"model\":\"whisper-1\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).contains("multipart/form-data");
    assertThat(openAi.receivedCount()).isEqualTo(before);
  }

  @Test
  void theSdkHearsAnEmptyFileAsABadRequest() {
    assertThatThrownBy(() -> client().audio().transcriptions().create(TranscriptionCreateParams.builder()
            .file(new byte[0]).model("whisper-1").build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("file");
  }

  /** Writes a request head by hand, then as much of the body as the gateway takes; answers what it said. */
  private static String upload(String key, boolean declareLength, int bodyBytes, int[] written) throws IOException {
    URI base = URI.create(gateway.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String head = "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: multipart/form-data; boundary=x\r\n"
          + (declareLength ? "Content-Length: " + bodyBytes + "\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] chunk = new byte[16 * 1024];
      InputStream in = socket.getInputStream();
      try {
        while (written[0] < bodyBytes && in.available() == 0) {
          if (declareLength) {
            out.write(chunk);
          } else {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          out.flush();
          written[0] += chunk.length;
          Thread.sleep(2); // give the gateway's answer a chance to arrive
        }
      } catch (IOException closedByTheGateway) {
        // expected once the gateway refused and closed the connection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void anUploadDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
    String key = api.member("big" + NAMES.incrementAndGet(), 100, "k", TestGateway.ADMIN_TOKEN).key();
    int[] written = {0};
    int before = openAi.receivedCount();

    String answer = upload(key, true, 25 * 1024 * 1024, written);

    assertThat(answer).startsWith("HTTP/1.1 413");
    JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error");
    assertThat(error.path("code").asText()).isEqualTo("request_too_large");
    assertThat(error.path("message").asText()).contains(String.valueOf(UPLOAD_LIMIT));
    assertThat(written[0]).as("bytes sent before the answer came").isLessThan(UPLOAD_LIMIT);
    assertThat(openAi.receivedCount()).isEqualTo(before);
  }

  @Test
  void aChunkedUploadIsRefusedAsSoonAsItPassesTheLimit() throws Exception {
    String key = api.member("chunky" + NAMES.incrementAndGet(), 100, "k", TestGateway.ADMIN_TOKEN).key();
    int[] written = {0};

    String answer = upload(key, false, 25 * 1024 * 1024, written);

    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(written[0]).as("bytes sent before the answer came").isLessThan(4 * UPLOAD_LIMIT);
  }
}

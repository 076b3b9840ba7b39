package dev.tollgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import dev.tollgate.testing.Http;
import dev.tollgate.testing.ManagementClient;
import dev.tollgate.testing.MockMedia;
import dev.tollgate.testing.MockOpenAiUpstream;
import dev.tollgate.testing.Records;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.testing.UsesDatabase;
import dev.tollgate.usage.UsageRecord;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image generations and speech through the gateway with the openai-java SDK: passed to an
 * OpenAI-format channel with the model renamed, answered as the upstream sent it, billed per image
 * (at the price of the size and quality) and per input character.
 */
@UsesDatabase
class ImagesAndSpeechTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TempDir static Path dataDir;
  static MockOpenAiUpstream openAi;
  static TestGateway gateway;
  static ManagementClient api;

  @BeforeAll
  static void start() {
    openAi = new MockOpenAiUpstream();
    gateway = TestGateway.start(dataDir, c -> c.withBilling(c.billing().withFreeModels(List.of("free-*"))));
    api = gateway.api();
    gateway.addChannel(openAi.baseUrl(),
        List.of("dall-e-3", "gpt-image-1", "image-400", "tts-1", "tts-held", "speaker", "tokens-only-image", "free-images"),
        Map.of("speaker", "tts-1-hd", "free-images", "dall-e-2"));
    price("dall-e-3", "{\"inputPrice\":0,\"outputPrice\":0,\"imagePrice\":4}");
    price("dall-e-3@1024x1792@hd", "{\"inputPrice\":0,\"outputPrice\":0,\"imagePrice\":12}");
    price("gpt-image-1@high", "{\"inputPrice\":0,\"outputPrice\":0,\"imagePrice\":\"16.7\"}");
    price("gpt-image-1", "{\"inputPrice\":500,\"outputPrice\":4000,\"imagePrice\":\"4.2\"}");
    price("image-400", "{\"inputPrice\":0,\"outputPrice\":0,\"imagePrice\":4}");
    price("tts-1", "{\"inputPrice\":0,\"outputPrice\":0,\"characterPrice\":1500}");
    price("tts-held", "{\"inputPrice\":0,\"outputPrice\":0,\"characterPrice\":1500}");
    price("speaker", "{\"inputPrice\":0,\"outputPrice\":0,\"characterPrice\":3000}");
    price("tokens-only-image", "{\"inputPrice\":100,\"outputPrice\":100}");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openAi.close();
  }

  private static void price(String model, String body) {
    assertThat(api.call("PUT", "/api/model/" + model, body, TestGateway.ADMIN_TOKEN).status()).isIn(200, 201);
  }

  /** A fresh account with 100 cents and its key, and an SDK client on it. */
  private static OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private static ManagementClient.Member member() {
    return api.member("media" + NAMES.incrementAndGet(), 100, "k", TestGateway.ADMIN_TOKEN);
  }

  // --- images ---

  @Test
  void imagesAsUrlsAreBilledPerImageAtTheModelsPrice() {
    ManagementClient.Member member = member();
    var raw = client(member.key()).images().withRawResponse().generate(ImageGenerateParams.builder()
        .model("dall-e-3").prompt("a lighthouse at dusk").n(2).size("1024x1024").build());
    ImagesResponse response = raw.parse();

    List<Image> images = response.data().orElseThrow();
    assertThat(images).hasSize(2);
    assertThat(images.get(1).url()).contains("https://images.example/1.png");
    assertThat(images.get(0).revisedPrompt()).contains("a lighthouse at dusk");
    JsonNode sent = openAi.last().body();
    assertThat(openAi.last().path()).isEqualTo("/v1/images/generations");
    assertThat(sent.path("n").asInt()).isEqualTo(2);
    assertThat(sent.path("size").asText()).isEqualTo("1024x1024");

    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.cost()).as("2 images × 4 cents").isEqualTo(8_000_000L);
    assertThat(record.units()).isEqualTo(new UsageRecord.Units("image", BigDecimal.valueOf(2), false, 4_000_000L));
  }

  @Test
  void base64ImagesComeBackAsTheUpstreamSentThemAtTheSizeAndQualitysPrice() {
    ManagementClient.Member member = member();
    var raw = client(member.key()).images().withRawResponse().generate(ImageGenerateParams.builder()
        .model("dall-e-3").prompt("p").size("1024x1792").quality(ImageGenerateParams.Quality.HD)
        .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

    Image image = raw.parse().data().orElseThrow().get(0);
    assertThat(Base64.getDecoder().decode(image.b64Json().orElseThrow())).isEqualTo(MockMedia.image(0));
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.cost()).as("1 HD 1024x1792 image, 12 cents").isEqualTo(12_000_000L);
  }

  @Test
  void aQualityPriceAppliesWhateverTheSizeAndTokenUsageIsKeptOnRecord() {
    ManagementClient.Member member = member();
    var raw = client(member.key()).images().withRawResponse().generate(ImageGenerateParams.builder()
        .model("gpt-image-1").prompt("p").n(3).size("1536x1024").quality(ImageGenerateParams.Quality.HIGH).build());

    assertThat(raw.parse().usage().orElseThrow().outputTokens()).isEqualTo(4160);
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.cost()).as("3 × 16.7 cents").isEqualTo(50_100_000L);
    assertThat(record.units().unitPrice()).isEqualTo(16_700_000L);
  }

  @Test
  void theReservationCountsTheImagesAskedForAndRefusesWhatTheQuotaCannotCover() {
    ManagementClient.Member poor = api.member("poor" + NAMES.incrementAndGet(), 10, "k", TestGateway.ADMIN_TOKEN);
    int before = openAi.receivedCount();

    assertThatThrownBy(() -> client(poor.key()).images().generate(ImageGenerateParams.builder()
            .model("dall-e-3").prompt("p").n(3).build()))
        .hasMessageContaining("quota");
    assertThat(openAi.receivedCount()).as("refused before any upstream call").isEqualTo(before);
  }

  @Test
  void aModelWithoutAnImagePriceIsRefusedNamingThePriceItLacks() {
    assertThatThrownBy(() -> client(member().key()).images().generate(ImageGenerateParams.builder()
            .model("tokens-only-image").prompt("p").build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("imagePrice");
  }

  @Test
  void aFreeImageModelCostsNothingButCountsItsImages() throws Exception {
    var raw = client(member().key()).images().withRawResponse().generate(ImageGenerateParams.builder()
        .model("free-images").prompt("p").n(2).build());

    assertThat(openAi.last().body().path("model").asText()).isEqualTo("dall-e-2");
    UsageRecord record = Records.await(gateway, raw.headers().values("x-request-id").get(0));
    assertThat(record.cost()).isZero();
    assertThat(record.units().quantity()).isEqualTo(BigDecimal.valueOf(2));
  }

  @Test
  void anUpstreamRefusalReachesTheClientAsWordedAndIsNotCharged() {
    ManagementClient.Member member = member();
    BadRequestException refused = org.assertj.core.api.Assertions.catchThrowableOfType(BadRequestException.class,
        () -> client(member.key()).images().generate(ImageGenerateParams.builder().model("image-400").prompt("p").build()));

    assertThat(refused).hasMessageContaining("safety system");
    UsageRecord record = Records.await(gateway, refused.headers().values("x-request-id").get(0));
    assertThat(record.status()).isEqualTo(400);
    assertThat(record.cost()).isZero();
    assertThat(record.units()).as("nothing delivered, nothing counted").isNull();
  }

  @Test
  void badImageRequestsAreOpenAi400sNamingTheField() throws Exception {
    String key = member().key();
    int before = openAi.receivedCount();
    java.net.http.HttpResponse<String> noPrompt = Http.postJson(gateway.baseUrl() + "/v1/images/generations", key,
        "{\"model\":\"dall-e-3\"}");
    java.net.http.HttpResponse<String> badN = Http.postJson(gateway.baseUrl() + "/v1/images/generations", key,
        "{\"model\":\"dall-e-3\",\"prompt\":\"p\",\"n\":\"two\"}");

    assertThat(noPrompt.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noPrompt.body()).path("error").path("param").asText()).isEqualTo("prompt");
    assertThat(badN.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badN.body()).path("error").path("param").asText()).isEqualTo("n");
    assertThat(openAi.receivedCount()).isEqualTo(before);
  }

  // --- speech ---

  @Test
  void speechBytesArriveExactlyAsTheUpstreamSentThemBilledPerCharacter() throws Exception {
    ManagementClient.Member member = member();
    String input = "Hello, world! 👋";
    byte[] audio;
    String requestId;
    try (HttpResponse response = client(member.key()).audio().speech().create(SpeechCreateParams.builder()
        .model("tts-1").input(input).voice("alloy").build())) {
      assertThat(response.headers().values("content-type")).containsExactly("audio/mpeg");
      requestId = response.headers().values("x-request-id").get(0);
      try (InputStream body = response.body()) {
        audio = body.readAllBytes();
      }
    }

    assertThat(audio).isEqualTo(MockMedia.speech(input));
    UsageRecord record = Records.await(gateway, requestId);
    assertThat(record.units()).isEqualTo(new UsageRecord.Units("character", BigDecimal.valueOf(15), false, 1_500_000_000L));
    assertThat(record.cost()).as("15 code points at 1500 cents per million").isEqualTo(22_500L);
  }

  private static java.net.http.HttpResponse<InputStream> speak(String key, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/audio/speech"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return Http.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
  }

  @Test
  void speechIsRelayedAsItArrivesNotAfterTheWholeFile() throws Exception {
    java.net.http.HttpResponse<InputStream> response = speak(member().key(),
        "{\"model\":\"tts-held\",\"input\":\"hi\",\"voice\":\"nova\",\"response_format\":\"wav\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("audio/wav");
    byte[] audio = MockMedia.speech("hi");
    try (InputStream body = response.body()) {
      // The upstream holds back everything after its first chunk until this test has read that chunk.
      assertThat(body.readNBytes(MockMedia.SPEECH_CHUNK_BYTES))
          .isEqualTo(java.util.Arrays.copyOf(audio, MockMedia.SPEECH_CHUNK_BYTES));
      MockMedia.releaseHeldSpeech();
      assertThat(body.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(audio, MockMedia.SPEECH_CHUNK_BYTES, audio.length));
    }
    assertThat(openAi.last().body().path("voice").asText()).isEqualTo("nova");
  }

  @Test
  void theModelIsRenamedForTheChannel() throws Exception {
    try (InputStream body = speak(member().key(), "{\"model\":\"speaker\",\"input\":\"hi\",\"voice\":\"nova\"}").body()) {
      assertThat(body.readAllBytes()).isEqualTo(MockMedia.speech("hi"));
    }
    assertThat(openAi.last().body().path("model").asText()).isEqualTo("tts-1-hd");
  }

  @Test
  void aClientThatLeavesMidAudioIsChargedTheCharactersTheUpstreamSpoke() throws Exception {
    java.net.http.HttpResponse<InputStream> response = speak(member().key(),
        "{\"model\":\"tts-held\",\"input\":\"left early\",\"voice\":\"nova\"}");
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    try (InputStream body = response.body()) {
      assertThat(body.readNBytes(16)).hasSize(16);
    } // closed with the rest held back upstream

    UsageRecord record = Records.await(gateway, requestId);
    MockMedia.releaseHeldSpeech();
    assertThat(record.status()).isEqualTo(499);
    assertThat(record.units().quantity()).isEqualTo(BigDecimal.valueOf(10));
    assertThat(record.cost()).as("10 characters at 1500 cents per million").isEqualTo(15_000L);
  }

  @Test
  void badSpeechRequestsAreOpenAi400s() throws Exception {
    String key = member().key();
    java.net.http.HttpResponse<String> noInput = Http.postJson(gateway.baseUrl() + "/v1/audio/speech", key,
        "{\"model\":\"tts-1\",\"voice\":\"alloy\"}");
    java.net.http.HttpResponse<String> tooLong = Http.postJson(gateway.baseUrl() + "/v1/audio/speech", key,
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + "a".repeat(4097) + "\"}");

    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noInput.body()).path("error").path("param").asText()).isEqualTo("input");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(tooLong.body()).path("error").path("param").asText()).isEqualTo("input");
  }
}
